package io.botfleet.billing.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/** Cost entries. */
@ApplicationScoped
public class CostEntryRepository implements PanacheRepositoryBase<CostEntryEntity, UUID> {

  /** The entry booked with an idempotency key. */
  public Optional<CostEntryEntity> findByEntryKey(String entryKey) {
    return find("entryKey", entryKey).firstResultOptional();
  }
}
