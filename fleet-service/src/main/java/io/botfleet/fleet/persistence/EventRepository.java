package io.botfleet.fleet.persistence;

import io.botfleet.common.events.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads fleet-service's events table forwards, for the REST gateway's event stream. */
@ApplicationScoped
public class EventRepository {

  @Inject EntityManager entityManager;

  /** Events after {@code seq}, oldest first. */
  public List<AuditLog.Row> after(long seq, int limit) {
    List<AuditLog.Row> rows = new ArrayList<>();
    for (Object result :
        entityManager
            .createNativeQuery(
                "select seq, id, type, agent_id, actor, payload::text, created_at from events"
                    + " where seq > :after order by seq limit :limit")
            .setParameter("after", seq)
            .setParameter("limit", limit)
            .getResultList()) {
      Object[] r = (Object[]) result;
      rows.add(
          new AuditLog.Row(
              ((Number) r[0]).longValue(),
              (UUID) r[1],
              (String) r[2],
              (String) r[3],
              (String) r[4],
              (String) r[5],
              toInstant(r[6])));
    }
    return rows;
  }

  /** The newest event's sequence (0 if there is none). */
  public long lastSeq() {
    return ((Number)
            entityManager
                .createNativeQuery("select coalesce(max(seq), 0) from events")
                .getSingleResult())
        .longValue();
  }

  private static Instant toInstant(Object value) {
    if (value instanceof Instant instant) {
      return instant;
    }
    if (value instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (value instanceof Timestamp ts) {
      return ts.toInstant();
    }
    throw new IllegalStateException("unexpected timestamp type " + value.getClass());
  }
}
