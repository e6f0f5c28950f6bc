package io.botfleet.fleet.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/** Registrations in progress and done. */
@ApplicationScoped
public class RegistrationRepository implements PanacheRepositoryBase<RegistrationEntity, String> {

  /**
   * Claims a registration for one worker for {@code lease}: true if this caller may run it now.
   * Another worker (a concurrent retry, the sweeper) holding it makes this false.
   */
  public boolean claim(String requestId, Duration lease) {
    return getEntityManager()
            .createNativeQuery(
                "update registrations set lease_until = now() + cast(:lease as interval)"
                    + " where request_id = :id and (lease_until is null or lease_until < now())")
            .setParameter("lease", lease.toMillis() + " milliseconds")
            .setParameter("id", requestId)
            .executeUpdate()
        == 1;
  }

  /** Gives a claim back. */
  public void release(String requestId) {
    getEntityManager()
        .createNativeQuery("update registrations set lease_until = null where request_id = :id")
        .setParameter("id", requestId)
        .executeUpdate();
  }

  /**
   * Registrations unfinished and untouched for longer than {@code age}: nobody is retrying them.
   */
  @SuppressWarnings("unchecked")
  public List<String> abandoned(Duration age) {
    return getEntityManager()
        .createNativeQuery(
            "select request_id from registrations where state not in ('COMPLETED', 'FAILED')"
                + " and updated_at < now() - cast(:age as interval)"
                + " and (lease_until is null or lease_until < now()) order by updated_at limit 100")
        .setParameter("age", age.toMillis() + " milliseconds")
        .getResultList();
  }
}
