package io.botfleet.identity.persistence;

import io.botfleet.identity.domain.IdentityStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Identities. */
@ApplicationScoped
public class IdentityRepository implements PanacheRepositoryBase<IdentityEntity, String> {

  /** The identity registered with an idempotency key. */
  public Optional<IdentityEntity> findByRequestId(String requestId) {
    return find("requestId", requestId).firstResultOptional();
  }

  /** The live (not revoked) identity of a name in an organization. */
  public Optional<IdentityEntity> findLiveByName(String organization, String name) {
    return find(
            "organization = ?1 and name = ?2 and status <> ?3",
            organization,
            name,
            IdentityStatus.REVOKED)
        .firstResultOptional();
  }
}
