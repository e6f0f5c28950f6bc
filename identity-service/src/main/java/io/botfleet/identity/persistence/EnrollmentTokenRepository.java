package io.botfleet.identity.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Optional;

/** Enrollment tokens, by the hex SHA-256 of the token. */
@ApplicationScoped
public class EnrollmentTokenRepository
    implements PanacheRepositoryBase<EnrollmentTokenEntity, String> {

  /** The token with this hash, locked until the transaction ends (so it is used only once). */
  public Optional<EnrollmentTokenEntity> lockByHash(String tokenHash) {
    return findByIdOptional(tokenHash, LockModeType.PESSIMISTIC_WRITE);
  }

  /** Deletes the unused tokens of an identity (a new one replaces them, or it was revoked). */
  public long deleteUnused(String agentId) {
    return delete("agentId = ?1 and usedAt is null", agentId);
  }
}
