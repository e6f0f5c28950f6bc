package io.botfleet.health.persistence;

import io.botfleet.health.domain.SlaMeasurement.Span;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The observer clock and the observation gaps (when health-service was not watching). */
@ApplicationScoped
public class ObservationRepository {

  @Inject EntityManager entityManager;

  /**
   * The observer clock's last refresh, locked until the transaction ends (so concurrent refreshes
   * take turns and see each other's). Creates the clock at {@code now} on first use.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Instant lockClock(Instant now) {
    entityManager
        .createNativeQuery(
            "insert into observer_clock (id, last_seen_at) values (true, :now)"
                + " on conflict (id) do nothing")
        .setParameter("now", StorageRepository.utc(now))
        .executeUpdate();
    return BotRepository.instant(
        entityManager
            .createNativeQuery("select last_seen_at from observer_clock where id for update")
            .getSingleResult());
  }

  /** Moves the observer clock to {@code now} (never back: replicas' clocks differ a little). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void advanceClock(Instant now) {
    entityManager
        .createNativeQuery(
            "update observer_clock set last_seen_at = greatest(last_seen_at, :now) where id")
        .setParameter("now", StorageRepository.utc(now))
        .executeUpdate();
  }

  /** Records that no replica was running in [start, end); false if that gap was already known. */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean recordDowntime(Instant start, Instant end, String replica) {
    return entityManager
            .createNativeQuery(
                "insert into observation_gaps (started_at, ended_at, reason, recorded_by)"
                    + " values (:start, :end, 'health_service_down', :by)"
                    + " on conflict (started_at) do nothing")
            .setParameter("start", StorageRepository.utc(start))
            .setParameter("end", StorageRepository.utc(end))
            .setParameter("by", replica)
            .executeUpdate()
        == 1;
  }

  /**
   * The gaps overlapping [from, to): health-service down, and mass silences (from their alerts; one
   * still open lasts until {@code now}). Not merged.
   */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<Span> gaps(Instant from, Instant to, Instant now) {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select started_at, ended_at from observation_gaps"
                    + " where started_at < :to and ended_at > :from"
                    + " union all"
                    + " select raised_at, coalesce(resolved_at, greatest(raised_at, :now))"
                    + " from alerts where kind = 'mass_silence' and raised_at < :to"
                    + " and coalesce(resolved_at, :now) > :from")
            .setParameter("from", StorageRepository.utc(from))
            .setParameter("to", StorageRepository.utc(to))
            .setParameter("now", StorageRepository.utc(now))
            .getResultList();
    List<Span> gaps = new ArrayList<>(rows.size());
    for (Object[] r : rows) {
      gaps.add(new Span(BotRepository.instant(r[0]), BotRepository.instant(r[1])));
    }
    return gaps;
  }
}
