package io.botfleet.fleet.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** Failovers. */
@ApplicationScoped
public class FailoverRepository implements PanacheRepositoryBase<FailoverEntity, UUID> {

  /** The failover made with this idempotency key. */
  public Optional<FailoverEntity> findByRequestId(String requestId) {
    return find("requestId", requestId).firstResultOptional();
  }

  /** The failover of this death of a bot, if one was made. */
  public Optional<FailoverEntity> findOf(String deadBotId, OffsetDateTime deadAt) {
    return find("deadBotId = ?1 and deadAt = ?2", deadBotId, deadAt).firstResultOptional();
  }
}
