package io.botfleet.billing.persistence;

import io.botfleet.billing.domain.AlertFilter;
import io.botfleet.billing.domain.BudgetAlert;
import io.botfleet.billing.domain.BudgetAlertKind;
import io.botfleet.billing.domain.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Budget alerts. */
@ApplicationScoped
public class BudgetAlertRepository {

  private static final String COLUMNS =
      "id, kind, bot_id, bot_name, period, budget_usd, spent_usd, utilization_pct, bot_paused,"
          + " created_at, seq";

  @Inject EntityManager entityManager;

  /**
   * Raises an alert unless this bot, month, kind and budget already have one (concurrent bookings
   * raise it once). Returns it if it is new.
   */
  public Optional<BudgetAlert> raise(BudgetAlert alert) {
    int inserted =
        entityManager
            .createNativeQuery(
                "insert into budget_alerts (id, kind, bot_id, bot_name, period, budget_usd,"
                    + " spent_usd, utilization_pct, created_at) values (:id, :kind, :bot,"
                    + " cast(:name as text), :period, :budget, :spent, :pct, :at)"
                    + " on conflict (bot_id, period, kind, budget_usd) do nothing")
            .setParameter("id", alert.id())
            .setParameter("kind", alert.kind().name())
            .setParameter("bot", alert.botId())
            .setParameter("name", alert.botName())
            .setParameter("period", alert.period())
            .setParameter("budget", alert.budgetUsd())
            .setParameter("spent", alert.spentUsd())
            .setParameter("pct", alert.utilizationPct())
            .setParameter("at", alert.createdAt().atOffset(ZoneOffset.UTC))
            .executeUpdate();
    return inserted == 1 ? Optional.of(alert) : Optional.empty();
  }

  /** Records that the bot was paused because of an alert. */
  public void markPaused(UUID alertId) {
    entityManager
        .createNativeQuery("update budget_alerts set bot_paused = true where id = :id")
        .setParameter("id", alertId)
        .executeUpdate();
  }

  /** An alert by id. */
  public Optional<BudgetAlert> find(UUID id) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        entityManager
            .createNativeQuery("select " + COLUMNS + " from budget_alerts where id = :id")
            .setParameter("id", id)
            .getResultList();
    return rows.stream().findFirst().map(BudgetAlertRepository::toDomain);
  }

  /** Lists alerts, newest first. */
  @SuppressWarnings("unchecked")
  public Page<BudgetAlert> list(AlertFilter query) {
    StringBuilder sql = new StringBuilder("select " + COLUMNS + " from budget_alerts where true");
    if (!query.botId().isEmpty()) {
      sql.append(" and bot_id = :bot");
    }
    if (!query.period().isEmpty()) {
      sql.append(" and period = :period");
    }
    if (query.kind() != null) {
      sql.append(" and kind = :kind");
    }
    if (query.since() != null) {
      sql.append(" and created_at >= :since");
    }
    if (!query.before().isEmpty()) {
      sql.append(" and seq < :before");
    }
    sql.append(" order by seq desc limit :limit");
    var q = entityManager.createNativeQuery(sql.toString());
    if (!query.botId().isEmpty()) {
      q.setParameter("bot", query.botId());
    }
    if (!query.period().isEmpty()) {
      q.setParameter("period", query.period());
    }
    if (query.kind() != null) {
      q.setParameter("kind", query.kind().name());
    }
    if (query.since() != null) {
      q.setParameter("since", OffsetDateTime.ofInstant(query.since(), ZoneOffset.UTC));
    }
    if (!query.before().isEmpty()) {
      q.setParameter("before", Long.parseLong(query.before()));
    }
    q.setParameter("limit", query.pageSize() + 1);
    List<Object[]> rows = q.getResultList();
    List<BudgetAlert> alerts = new ArrayList<>();
    long last = 0;
    for (int i = 0; i < Math.min(rows.size(), query.pageSize()); i++) {
      alerts.add(toDomain(rows.get(i)));
      last = ((Number) rows.get(i)[10]).longValue();
    }
    return new Page<>(
        alerts,
        rows.size() > query.pageSize() ? Optional.of(Long.toString(last)) : Optional.empty());
  }

  private static BudgetAlert toDomain(Object[] r) {
    return new BudgetAlert(
        (UUID) r[0],
        BudgetAlertKind.valueOf((String) r[1]),
        (String) r[2],
        (String) r[3],
        (String) r[4],
        (BigDecimal) r[5],
        (BigDecimal) r[6],
        (BigDecimal) r[7],
        (Boolean) r[8],
        Instants.of(r[9]));
  }
}
