package io.botfleet.billing.service;

import io.botfleet.billing.config.BillingConfig;
import io.botfleet.billing.domain.AlertFilter;
import io.botfleet.billing.domain.BotInfo;
import io.botfleet.billing.domain.Budget;
import io.botfleet.billing.domain.BudgetAlert;
import io.botfleet.billing.domain.BudgetAlertKind;
import io.botfleet.billing.domain.Money;
import io.botfleet.billing.domain.Page;
import io.botfleet.billing.persistence.BotRepository;
import io.botfleet.billing.persistence.BudgetAlertRepository;
import io.botfleet.billing.persistence.BudgetEntity;
import io.botfleet.billing.persistence.BudgetRepository;
import io.botfleet.billing.persistence.CostEntryRepository;
import io.botfleet.billing.persistence.PendingActionRepository;
import io.botfleet.common.auth.Caller;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.events.EventLog;
import io.botfleet.common.greenhelix.Outbox;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Monthly budgets, checked whenever costs are booked: above 80 % of the budget a budget_warning,
 * above 100 % a budget_exceeded (events, alerts, GreenHelix publish_event), each once per bot,
 * month and budget; and, where the operator chose it, a pause of that one bot through fleet-service
 * that is retried until fleet-service accepts it.
 */
@ApplicationScoped
public class BudgetService {

  @Inject BudgetRepository budgets;
  @Inject BudgetAlertRepository alerts;
  @Inject PendingActionRepository actions;
  @Inject CostEntryRepository entries;
  @Inject BotRepository bots;
  @Inject BotDirectory directory;
  @Inject BudgetPauseService pauses;
  @Inject EventLog events;
  @Inject Outbox outbox;
  @Inject BillingConfig config;

  /**
   * Sets a bot's budget or a group's default, and checks the current month against it at once (a
   * budget lowered below this month's spend alerts now, not at the next cost).
   */
  public Budget set(Budget draft) {
    draft.check();
    if (draft.botId() != null && directory.knownMissing(draft.botId())) {
      throw botNotFound(draft.botId());
    }
    String actor = Caller.current().agentId();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Budget stored =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  BudgetEntity row =
                      (draft.botId() != null
                              ? budgets.findForBot(draft.botId())
                              : budgets.findForGroup(draft.group()))
                          .orElseGet(BudgetEntity::new);
                  if (row.id == null) {
                    row.id = UUID.randomUUID();
                    row.botId = draft.botId();
                    row.groupName = draft.group();
                  }
                  row.monthlyBudgetUsd = draft.monthlyBudgetUsd();
                  row.pauseWhenExceeded = draft.pauseWhenExceeded();
                  row.setBy = actor;
                  row.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
                  budgets.persist(row);
                  Map<String, Object> payload = new LinkedHashMap<>();
                  payload.put("agent_id", draft.botId() == null ? "" : draft.botId());
                  payload.put("group", draft.group() == null ? "" : draft.group());
                  payload.put("monthly_budget_usd", Money.format(row.monthlyBudgetUsd));
                  payload.put("pause_when_exceeded", row.pauseWhenExceeded);
                  events.append("fleet.budget_set", draft.botId(), actor, payload);
                  List<String> affected =
                      draft.botId() != null
                          ? List.of(draft.botId())
                          : bots.all().stream()
                              .filter(b -> b.group().equals(draft.group()))
                              .map(BotInfo::id)
                              .toList();
                  for (String botId : affected) {
                    check(botId, YearMonth.from(today), today, actor);
                  }
                  return row.toDomain();
                });
    Log.infof(
        "Budget of %s set to %s USD a month (pause when exceeded: %s)",
        draft.botId() != null ? draft.botId() : "group " + draft.group(),
        Money.format(stored.monthlyBudgetUsd()),
        stored.pauseWhenExceeded());
    pauses.runDue("");
    return stored;
  }

  /** The budget that applies to a bot: its own, else its group's, else the configured default. */
  @Transactional(Transactional.TxType.SUPPORTS)
  public Optional<Budget> effective(String botId) {
    Optional<Budget> own = budgets.findForBot(botId).map(BudgetEntity::toDomain);
    if (own.isPresent()) {
      return own;
    }
    Optional<String> group = bots.find(botId).map(BotInfo::group);
    if (group.isEmpty()) {
      return Optional.empty();
    }
    Optional<Budget> groupBudget = budgets.findForGroup(group.get()).map(BudgetEntity::toDomain);
    if (groupBudget.isPresent()) {
      return groupBudget;
    }
    BigDecimal configured = config.groupBudgets().get(group.get());
    return Optional.ofNullable(configured)
        .map(amount -> new Budget(null, group.get(), amount, false, "config", Instant.EPOCH));
  }

  /**
   * Checks a bot's spend in {@code month} against its budget and raises the thresholds crossed that
   * have not been raised for this budget yet. A pause is queued only for the current month: a late
   * entry that pushes a past month over its budget alerts, but pausing today for last month would
   * punish the wrong month. Runs in the booking's transaction (the bot is locked).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public List<BudgetAlert> check(String botId, YearMonth month, LocalDate today, String actor) {
    Optional<Budget> budget = effective(botId);
    if (budget.isEmpty()) {
      return List.of();
    }
    BigDecimal limit = budget.get().monthlyBudgetUsd();
    BigDecimal spent = entries.spent(botId, month);
    String name = bots.find(botId).map(BotInfo::name).orElse(null);
    List<BudgetAlert> raised = new ArrayList<>();
    for (BudgetAlertKind kind : BudgetAlertKind.crossed(spent, limit)) {
      BudgetAlert alert =
          new BudgetAlert(
              UUID.randomUUID(),
              kind,
              botId,
              name,
              month.toString(),
              limit,
              spent,
              BudgetAlertKind.utilizationPct(spent, limit),
              false,
              Instant.now());
      if (alerts.raise(alert).isEmpty()) {
        continue;
      }
      Map<String, Object> payload = alertPayload(alert);
      events.append(kind.eventType(), botId, actor, payload);
      outbox.enqueue(
          botId,
          "publish_event",
          Map.of("agent_id", botId, "event_type", kind.eventType(), "payload", payload));
      if (kind == BudgetAlertKind.EXCEEDED
          && budget.get().pauseWhenExceeded()
          && month.equals(YearMonth.from(today))) {
        actions.queuePause(
            UUID.randomUUID(),
            botId,
            alert.id(),
            "budget_exceeded: spent "
                + Money.format(spent)
                + " of "
                + Money.format(limit)
                + " USD in "
                + month);
      }
      Log.infof(
          "Budget %s for %s in %s: %s of %s USD (%s %%)",
          kind.name().toLowerCase(),
          botId,
          month,
          Money.format(spent),
          Money.format(limit),
          alert.utilizationPct().toPlainString());
      raised.add(alert);
    }
    return raised;
  }

  /** Lists alerts, newest first. */
  @Transactional
  public Page<BudgetAlert> alerts(AlertFilter query) {
    return alerts.list(query);
  }

  /** The alerts of these ids as they stand now (a pause may have been accepted meanwhile). */
  @Transactional
  public List<BudgetAlert> current(List<BudgetAlert> raised) {
    return raised.stream().map(a -> alerts.find(a.id()).orElse(a)).toList();
  }

  static Map<String, Object> alertPayload(BudgetAlert alert) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("bot_name", alert.botName() == null ? "" : alert.botName());
    payload.put("agent_id", alert.botId());
    payload.put("budget_usd", Money.format(alert.budgetUsd()));
    payload.put("spent_usd", Money.format(alert.spentUsd()));
    payload.put("utilization_pct", alert.utilizationPct().toPlainString());
    payload.put("period", alert.period());
    return payload;
  }

  static BotfleetException botNotFound(String botId) {
    return BotfleetException.notFound(
        "BOT_NOT_FOUND", "fleet-service knows no bot " + botId, Map.of("bot_id", botId));
  }
}
