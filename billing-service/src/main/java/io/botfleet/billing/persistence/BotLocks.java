package io.botfleet.billing.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Collection;
import java.util.TreeSet;

/**
 * Serializes bookings per bot (a transaction-scoped advisory lock), so two costs arriving at once
 * for one bot see each other's spend and its budget thresholds are judged on the true total.
 */
@ApplicationScoped
public class BotLocks {

  private static final int NAMESPACE = JobLock.NAMESPACE + 1;

  @Inject EntityManager entityManager;

  /** Locks these bots until the transaction ends, in id order (so bookings never deadlock). */
  public void lock(Collection<String> botIds) {
    for (String botId : new TreeSet<>(botIds)) {
      entityManager
          .createNativeQuery(
              "select 1 from (select pg_advisory_xact_lock(:ns, hashtext(:bot))) locked")
          .setParameter("ns", NAMESPACE)
          .setParameter("bot", botId)
          .getSingleResult();
    }
  }
}
