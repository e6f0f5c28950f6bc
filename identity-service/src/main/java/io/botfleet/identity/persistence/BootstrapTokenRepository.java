package io.botfleet.identity.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Bootstrap tokens (hex SHA-256 only), and the lock that serializes bootstrapping across replicas
 * so that two first administrators can never be made at once.
 */
@ApplicationScoped
public class BootstrapTokenRepository {

  private static final long BOOTSTRAP_LOCK = 0x626f6f7473747261L;

  @Inject EntityManager entityManager;

  /** Takes the bootstrap lock until the current transaction ends. */
  public void lock() {
    entityManager
        .createNativeQuery("select pg_advisory_xact_lock(:lock)")
        .setParameter("lock", BOOTSTRAP_LOCK)
        .getSingleResult();
  }

  /** Stores a token's hash. */
  public void add(String tokenHash) {
    entityManager
        .createNativeQuery(
            "insert into bootstrap_tokens (token_hash, created_at) values (:hash, now())")
        .setParameter("hash", tokenHash)
        .executeUpdate();
  }

  /** Deletes a token's hash; true if it was there (the token was valid). */
  public boolean remove(String tokenHash) {
    return entityManager
            .createNativeQuery("delete from bootstrap_tokens where token_hash = :hash")
            .setParameter("hash", tokenHash)
            .executeUpdate()
        > 0;
  }

  /** Deletes every token (bootstrapping is over). */
  public void removeAll() {
    entityManager.createNativeQuery("delete from bootstrap_tokens").executeUpdate();
  }

  /** True if the token's hash is stored. */
  public boolean exists(String tokenHash) {
    return !entityManager
        .createNativeQuery("select 1 from bootstrap_tokens where token_hash = :hash")
        .setParameter("hash", tokenHash)
        .getResultList()
        .isEmpty();
  }
}
