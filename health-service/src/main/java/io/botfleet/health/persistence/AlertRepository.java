package io.botfleet.health.persistence;

import io.botfleet.health.domain.Alert;
import io.botfleet.health.domain.AlertFilter;
import io.botfleet.health.domain.PagePosition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** Alerts ({@code alerts}). */
@ApplicationScoped
public class AlertRepository {

  @Inject EntityManager entityManager;

  /** A page of alerts, newest first, after {@code after} (null for the first page). */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<Alert> list(AlertFilter filter, PagePosition after, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "select id, bot_id, bot_name, bot_group, kind, severity, issues, message, state,"
                + " raised_at, resolved_at from alerts where true");
    if (filter.botId() != null) {
      sql.append(" and bot_id = :bot");
    }
    if (filter.group() != null) {
      sql.append(" and bot_group = :grp");
    }
    if (filter.severity() != null) {
      sql.append(" and severity = :severity");
    }
    if (filter.open() != null) {
      sql.append(" and state = :state");
    }
    if (filter.from() != null) {
      sql.append(" and raised_at >= :from");
    }
    if (filter.to() != null) {
      sql.append(" and raised_at < :to");
    }
    if (after != null) {
      sql.append(" and (raised_at, id) < (:afterAt, :afterId)");
    }
    sql.append(" order by raised_at desc, id desc limit :limit");
    Query query = entityManager.createNativeQuery(sql.toString());
    if (filter.botId() != null) {
      query.setParameter("bot", filter.botId());
    }
    if (filter.group() != null) {
      query.setParameter("grp", filter.group());
    }
    if (filter.severity() != null) {
      query.setParameter("severity", filter.severity().dbName());
    }
    if (filter.open() != null) {
      query.setParameter("state", filter.open() ? "open" : "resolved");
    }
    if (filter.from() != null) {
      query.setParameter("from", utc(filter.from()));
    }
    if (filter.to() != null) {
      query.setParameter("to", utc(filter.to()));
    }
    if (after != null) {
      query.setParameter("afterAt", utc(after.time()));
      query.setParameter("afterId", after.id());
    }
    query.setParameter("limit", limit);
    List<Object[]> rows = query.getResultList();
    return rows.stream().map(AlertRepository::toAlert).toList();
  }

  /** An alert by id. */
  @Transactional
  @SuppressWarnings("unchecked")
  public java.util.Optional<Alert> find(UUID id) {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select id, bot_id, bot_name, bot_group, kind, severity, issues, message, state,"
                    + " raised_at, resolved_at from alerts where id = :id")
            .setParameter("id", id)
            .getResultList();
    return rows.stream().findFirst().map(AlertRepository::toAlert);
  }

  static Alert toAlert(Object[] r) {
    return new Alert(
        (UUID) r[0],
        (String) r[1],
        (String) r[2],
        (String) r[3],
        (String) r[4],
        BotRepository.severity(r[5]),
        BotRepository.strings(r[6]),
        (String) r[7],
        "open".equals(r[8]),
        BotRepository.instant(r[9]),
        BotRepository.instant(r[10]));
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
