package io.botfleet.health.persistence;

import io.botfleet.health.domain.Alert;
import io.botfleet.health.domain.HealthEvent;
import io.botfleet.health.domain.HealthEventType;
import io.botfleet.health.domain.HealthStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The health event log ({@code health_events}), in sequence (= commit) order. */
@ApplicationScoped
public class HealthEventRepository {

  /**
   * A stored event.
   *
   * @param sequence its sequence
   * @param origin the replica that recorded it
   * @param event the event
   */
  public record Sequenced(long sequence, String origin, HealthEvent event) {}

  @Inject EntityManager entityManager;

  /** Up to {@code limit} events after {@code afterSequence}, oldest first. */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<Sequenced> after(long afterSequence, int limit) {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select seq, type, bot_id, bot_name, bot_group, previous_status, status, issues,"
                    + " version, message, event_time, last_heartbeat_at, alert_id, alert_kind,"
                    + " alert_severity, alert_state, alert_raised_at, alert_resolved_at,"
                    + " origin from health_events where seq > :after order by seq limit :limit")
            .setParameter("after", afterSequence)
            .setParameter("limit", limit)
            .getResultList();
    return rows.stream().map(HealthEventRepository::toSequenced).toList();
  }

  /** The last sequence committed (0 if none). */
  @Transactional
  public long lastSequence() {
    Object last =
        entityManager
            .createNativeQuery("select coalesce(max(seq), 0) from health_events")
            .getSingleResult();
    return ((Number) last).longValue();
  }

  /** The first sequence still kept (0 if none). */
  @Transactional
  public long firstSequence() {
    Object first =
        entityManager
            .createNativeQuery("select coalesce(min(seq), 0) from health_events")
            .getSingleResult();
    return ((Number) first).longValue();
  }

  private static Sequenced toSequenced(Object[] r) {
    Alert alert = null;
    if (r[12] != null) {
      alert =
          new Alert(
              (UUID) r[12],
              (String) r[2],
              r[3] == null ? "" : (String) r[3],
              r[4] == null ? "" : (String) r[4],
              (String) r[13],
              BotRepository.severity(r[14]),
              BotRepository.strings(r[7]),
              (String) r[9],
              "open".equals(r[15]),
              BotRepository.instant(r[16]),
              BotRepository.instant(r[17]));
    }
    HealthEvent event =
        new HealthEvent(
            HealthEventType.valueOf((String) r[1]),
            (String) r[2],
            (String) r[3],
            (String) r[4],
            r[5] == null ? null : HealthStatus.fromDb((String) r[5]),
            r[6] == null ? null : HealthStatus.fromDb((String) r[6]),
            BotRepository.strings(r[7]),
            (String) r[8],
            (String) r[9],
            BotRepository.instant(r[10]),
            BotRepository.instant(r[11]),
            alert,
            Map.of());
    return new Sequenced(((Number) r[0]).longValue(), (String) r[18], event);
  }
}
