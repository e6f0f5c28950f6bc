package io.botfleet.health.service;

import io.botfleet.common.db.PgNotifications;
import io.botfleet.common.error.Violations;
import io.botfleet.common.events.EventLog;
import io.botfleet.health.domain.Alert;
import io.botfleet.health.domain.BotState;
import io.botfleet.health.domain.HealthEvent;
import io.botfleet.health.domain.HealthEventType;
import io.botfleet.health.domain.TrackedBot;
import io.botfleet.health.persistence.BotRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which bots exist, as fleet-service declares them (TrackBot at registration, UntrackBot at
 * deregistration). Every replica follows changes through NOTIFY, so the dead-bot owner watches a
 * bot whichever replica fleet-service called.
 */
@ApplicationScoped
public class TrackingService {

  static final String CHANNEL = "health_tracking";

  @Inject BotRepository repository;
  @Inject BotRegistry registry;
  @Inject DeadBotSweeper sweeper;
  @Inject HeartbeatWriter writer;
  @Inject EventLog events;
  @Inject PgNotifications notifications;

  void start() {
    notifications.listen(
        CHANNEL,
        botId -> {
          if (PgNotifications.RECONNECTED.equals(botId)) {
            return;
          }
          refresh(botId);
        });
  }

  /** Starts (or updates) tracking a bot. Idempotent. Returns its state. */
  public BotState track(
      String botId, String name, String group, String exchange, String strategy, boolean standby) {
    Violations violations = new Violations();
    violations.require(
        botId.matches("[a-z][a-z0-9-]{2,63}"),
        "bot_id",
        "must be an agent id such as bot-3f9a1c2b7d4e8f01");
    violations.require(
        !name.isBlank() && name.length() <= 128,
        "bot_name",
        "is required (at most 128 characters)");
    violations.require(
        group.matches("[a-z0-9][a-z0-9_-]{0,63}"),
        "group",
        "is required: lower-case letters, digits, - and _ (e.g. spot-arb)");
    violations.throwIfAny();
    TrackedBot bot = new TrackedBot(botId, name, group, exchange, strategy, standby, Instant.now());
    boolean fresh =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  boolean created = repository.track(bot);
                  Map<String, Object> facts = new HashMap<>();
                  facts.put("agent_id", botId);
                  facts.put("bot_name", name);
                  facts.put("group", group);
                  facts.put("standby", standby);
                  events.append(
                      created ? "fleet.health_tracking_started" : "fleet.health_tracking_updated",
                      botId,
                      facts);
                  notifications.notify(CHANNEL, botId);
                  return created;
                });
    BotState state = refresh(botId);
    if (fresh) {
      Log.infof("Tracking %s (%s) in group %s%s", name, botId, group, standby ? " as standby" : "");
    }
    return state;
  }

  /** Stops tracking a bot; its open alert is resolved, its history stays. False if not tracked. */
  public boolean untrack(String botId) {
    boolean untracked =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  boolean done = repository.untrack(botId);
                  if (done) {
                    events.append(
                        "fleet.health_tracking_stopped", botId, Map.of("agent_id", botId));
                    notifications.notify(CHANNEL, botId);
                  }
                  return done;
                });
    BotState state = registry.remove(botId);
    if (state != null) {
      Alert open = state.openAlert();
      if (open != null) {
        Alert resolved = open.resolved(Instant.now());
        HealthEvent event =
            new HealthEvent(
                HealthEventType.ALERT_RESOLVED,
                botId,
                resolved.botName(),
                resolved.group(),
                null,
                null,
                resolved.issues(),
                null,
                "Resolved (bot deregistered): " + resolved.message(),
                resolved.resolvedAt(),
                null,
                resolved,
                Map.of(
                    "agent_id", botId,
                    "bot_name", resolved.botName(),
                    "group", resolved.group(),
                    "alert_id", resolved.id().toString(),
                    "kind", resolved.kind(),
                    "severity", resolved.severity().dbName(),
                    "state", "resolved"));
        writer.submit(WriteItem.events(List.of(event), null, EventLog.SYSTEM));
      }
    }
    return untracked;
  }

  /** Re-reads one bot from the tables into this replica's registry. */
  private BotState refresh(String botId) {
    var stored = repository.find(botId);
    if (stored.isEmpty() || !stored.get().tracked()) {
      registry.remove(botId);
      return null;
    }
    TrackedBot bot = stored.get().bot();
    BotState state =
        registry
            .find(botId)
            .map(
                existing -> {
                  existing.retrack(bot);
                  return existing;
                })
            .orElseGet(
                () -> {
                  BotState created = new BotState(bot, stored.get().state());
                  registry.put(created);
                  return created;
                });
    sweeper.watch(botId);
    return state;
  }
}
