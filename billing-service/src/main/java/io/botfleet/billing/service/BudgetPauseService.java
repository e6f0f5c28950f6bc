package io.botfleet.billing.service;

import io.botfleet.billing.client.FleetClient;
import io.botfleet.billing.config.BillingConfig;
import io.botfleet.billing.persistence.BudgetAlertRepository;
import io.botfleet.billing.persistence.PendingActionRepository;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.events.EventLog;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Carries out the pauses that budget alerts decided: PauseBots for that one bot through
 * fleet-service, with the same request id on every attempt (so a retry after a lost answer pauses
 * once). Unreachable: retried with capped, jittered backoff, forever. Refused (the bot is gone):
 * recorded as failed, with an event.
 */
@ApplicationScoped
public class BudgetPauseService {

  private static final int BATCH = 50;

  @Inject PendingActionRepository actions;
  @Inject BudgetAlertRepository alerts;
  @Inject FleetClient fleet;
  @Inject EventLog events;
  @Inject BillingConfig config;

  /**
   * Attempts the due pauses (of one bot when {@code botId} is not empty). Returns how many
   * fleet-service accepted. Call outside a transaction.
   */
  public int runDue(String botId) {
    List<PendingActionRepository.Action> due =
        QuarkusTransaction.requiringNew().call(() -> actions.claimDue(BATCH, botId));
    int done = 0;
    for (PendingActionRepository.Action action : due) {
      try {
        String commandId = fleet.pauseBot(action.botId(), action.reason(), action.requestId());
        QuarkusTransaction.requiringNew()
            .run(
                () -> {
                  actions.done(action.id(), commandId);
                  alerts.markPaused(action.alertId());
                  events.append(
                      "fleet.budget_pause",
                      action.botId(),
                      EventLog.SYSTEM,
                      payload(action, "command_id", commandId));
                });
        Log.infof("Paused %s over budget (command %s)", action.botId(), commandId);
        done++;
      } catch (BotfleetException e) {
        if (e.kind() == BotfleetException.Kind.UNAVAILABLE) {
          Duration wait = backoff(action.attempts() + 1);
          QuarkusTransaction.requiringNew()
              .run(() -> actions.retryLater(action.id(), wait, e.getMessage()));
          Log.warnf(
              "Pause of %s over budget not accepted yet (attempt %d), retry in %d ms: %s",
              action.botId(), action.attempts() + 1, wait.toMillis(), e.getMessage());
        } else {
          QuarkusTransaction.requiringNew()
              .run(
                  () -> {
                    actions.failed(action.id(), e.getMessage());
                    events.append(
                        "fleet.budget_pause_failed",
                        action.botId(),
                        EventLog.SYSTEM,
                        payload(action, "error", e.getMessage()));
                  });
          Log.errorf("fleet-service refused to pause %s over budget: %s", action.botId(), e);
        }
      }
    }
    return done;
  }

  /** Capped exponential backoff, jittered in its upper half. */
  Duration backoff(int attempt) {
    long cap = config.jobs().actionsMaxBackoff().toMillis();
    long exponential = attempt >= 20 ? cap : Math.min(cap, 1000L << Math.max(0, attempt - 1));
    return Duration.ofMillis(
        exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1));
  }

  private static Map<String, Object> payload(
      PendingActionRepository.Action action, String key, String value) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("agent_id", action.botId());
    payload.put("alert_id", action.alertId().toString());
    payload.put("reason", action.reason());
    payload.put(key, value);
    return payload;
  }
}
