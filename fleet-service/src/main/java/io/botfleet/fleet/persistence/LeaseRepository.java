package io.botfleet.fleet.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;

/**
 * Leases of single-owner work: one replica at a time, taken over when the holder stops renewing.
 */
@ApplicationScoped
public class LeaseRepository {

  @Inject EntityManager entityManager;

  /** Takes or renews the lease; true if {@code holder} holds it now. */
  public boolean acquire(String name, String holder, Duration ttl) {
    return !entityManager
        .createNativeQuery(
            "insert into leases (name, holder, expires_at)"
                + " values (:name, :holder, now() + cast(:ttl as interval))"
                + " on conflict (name) do update set holder = excluded.holder,"
                + " expires_at = excluded.expires_at"
                + " where leases.holder = excluded.holder or leases.expires_at < now()"
                + " returning holder")
        .setParameter("name", name)
        .setParameter("holder", holder)
        .setParameter("ttl", ttl.toMillis() + " milliseconds")
        .getResultList()
        .isEmpty();
  }

  /** Gives the lease up (a clean shutdown), so another replica takes over at once. */
  public void release(String name, String holder) {
    entityManager
        .createNativeQuery("delete from leases where name = :name and holder = :holder")
        .setParameter("name", name)
        .setParameter("holder", holder)
        .executeUpdate();
  }
}
