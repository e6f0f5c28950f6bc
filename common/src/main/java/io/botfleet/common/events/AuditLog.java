package io.botfleet.common.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads the service's events table and GreenHelix usage table. */
@ApplicationScoped
public class AuditLog {

  @Inject EntityManager entityManager;

  /**
   * A query of the log, newest first.
   *
   * @param types only these types (empty: all)
   * @param agentId only about this agent (empty: all)
   * @param actor only caused by this principal (empty: all)
   * @param start at or after (null: no bound)
   * @param end before (null: no bound)
   * @param pageSize rows per page
   * @param after the position of the previous page's last row ("" for the first page)
   */
  public record Query(
      List<String> types,
      String agentId,
      String actor,
      OffsetDateTime start,
      OffsetDateTime end,
      int pageSize,
      String after) {}

  /** One stored event. */
  public record Row(
      long seq,
      UUID id,
      String type,
      String agentId,
      String actor,
      String payloadJson,
      Instant createdAt) {}

  /** A page of events and the position to continue from, if there is more. */
  public record Page(List<Row> events, Optional<String> nextPosition) {}

  /** Delivered GreenHelix calls of one agent and tool. */
  public record Usage(String agentId, String tool, long calls) {}

  /** Lists events. */
  public Page list(Query query) {
    StringBuilder sql =
        new StringBuilder(
            "select seq, id, type, agent_id, actor, payload::text, created_at from events where true");
    if (!query.types().isEmpty()) {
      sql.append(" and type in (:types)");
    }
    if (!query.agentId().isEmpty()) {
      sql.append(" and agent_id = :agent");
    }
    if (!query.actor().isEmpty()) {
      sql.append(" and actor = :actor");
    }
    if (query.start() != null) {
      sql.append(" and created_at >= :start");
    }
    if (query.end() != null) {
      sql.append(" and created_at < :end");
    }
    if (!query.after().isEmpty()) {
      sql.append(" and seq < :after");
    }
    sql.append(" order by seq desc limit :limit");
    jakarta.persistence.Query q = entityManager.createNativeQuery(sql.toString());
    if (!query.types().isEmpty()) {
      q.setParameter("types", query.types());
    }
    if (!query.agentId().isEmpty()) {
      q.setParameter("agent", query.agentId());
    }
    if (!query.actor().isEmpty()) {
      q.setParameter("actor", query.actor());
    }
    if (query.start() != null) {
      q.setParameter("start", query.start());
    }
    if (query.end() != null) {
      q.setParameter("end", query.end());
    }
    if (!query.after().isEmpty()) {
      q.setParameter("after", parsePosition(query.after()));
    }
    q.setParameter("limit", query.pageSize() + 1);
    List<Row> rows = new ArrayList<>();
    for (Object result : q.getResultList()) {
      Object[] r = (Object[]) result;
      rows.add(
          new Row(
              ((Number) r[0]).longValue(),
              (UUID) r[1],
              (String) r[2],
              (String) r[3],
              (String) r[4],
              (String) r[5],
              toInstant(r[6])));
    }
    if (rows.size() > query.pageSize()) {
      List<Row> page = rows.subList(0, query.pageSize());
      return new Page(
          List.copyOf(page), Optional.of(Long.toString(page.get(page.size() - 1).seq())));
    }
    return new Page(rows, Optional.empty());
  }

  /** Delivered calls per agent and tool over the days the range touches (UTC). */
  @SuppressWarnings("unchecked")
  public List<Usage> greenHelixUsage(OffsetDateTime start, OffsetDateTime end) {
    LocalDate from =
        start == null ? LocalDate.EPOCH : start.atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
    LocalDate to =
        end == null
            ? LocalDate.of(9999, 12, 31)
            : end.minusNanos(1).atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select agent_id, tool, sum(calls) from greenhelix_usage"
                    + " where day between :from and :to group by agent_id, tool"
                    + " order by agent_id, tool")
            .setParameter("from", from)
            .setParameter("to", to)
            .getResultList();
    return rows.stream()
        .map(r -> new Usage((String) r[0], (String) r[1], ((Number) r[2]).longValue()))
        .toList();
  }

  private static long parsePosition(String position) {
    try {
      return Long.parseLong(position);
    } catch (NumberFormatException e) {
      throw new io.botfleet.common.error.InvalidArgumentException(
          "page_token", "is not a page token returned by this API");
    }
  }

  private static Instant toInstant(Object value) {
    if (value instanceof Instant instant) {
      return instant;
    }
    if (value instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (value instanceof java.sql.Timestamp ts) {
      return ts.toInstant();
    }
    throw new IllegalStateException("unexpected timestamp type " + value.getClass());
  }
}
