package io.botfleet.identity.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Optional;

/** Enrollment tokens, by the hex SHA-256 of the token. */
@ApplicationScoped
public class EnrollmentTokenRepository
    implements PanacheRepositoryBase<EnrollmentTokenEntity, String> {

  /**
   * The identity a token enrolls, read without loading the token, so that {@link #lockByHash}
   * afterwards reads it fresh under its lock.
   */
  public Optional<String> agentOf(String tokenHash) {
    return getEntityManager()
        .createQuery(
            "select t.agentId from EnrollmentTokenEntity t where t.tokenHash = :hash", String.class)
        .setParameter("hash", tokenHash)
        .getResultStream()
        .findFirst();
  }

  /** The token with this hash, locked until the transaction ends (so it is used only once). */
  public Optional<EnrollmentTokenEntity> lockByHash(String tokenHash) {
    return findByIdOptional(tokenHash, LockModeType.PESSIMISTIC_WRITE);
  }

  /** Deletes the unused tokens of an identity (a new one replaces them, or it was revoked). */
  public long deleteUnused(String agentId) {
    return delete("agentId = ?1 and usedAt is null", agentId);
  }
}
