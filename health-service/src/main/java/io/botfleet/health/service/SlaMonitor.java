package io.botfleet.health.service;

import io.botfleet.common.events.EventLog;
import io.botfleet.common.greenhelix.Outbox;
import io.botfleet.health.config.HealthConfig;
import io.botfleet.health.domain.Alert;
import io.botfleet.health.domain.EventRouting;
import io.botfleet.health.domain.HealthEvent;
import io.botfleet.health.domain.SlaBot;
import io.botfleet.health.domain.SlaEscalation;
import io.botfleet.health.domain.SlaFinding;
import io.botfleet.health.domain.SlaState;
import io.botfleet.health.domain.SlaWindow;
import io.botfleet.health.domain.TrackedBot;
import io.botfleet.health.persistence.AlertRepository;
import io.botfleet.health.persistence.HeartbeatStore;
import io.botfleet.health.persistence.SlaRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hibernate.Session;

/**
 * Checks every bot with SLA targets periodically and escalates (see {@link SlaEscalation}). It runs
 * on the replica that owns dead-bot detection, so one replica checks at a time. What a check
 * changes (the bot's SLA state, health events, alerts, audit events, GreenHelix calls, webhook
 * deliveries) is written in one transaction, the health events in commit order like the heartbeat
 * writer's.
 */
@ApplicationScoped
public class SlaMonitor {

  @Inject HealthConfig config;
  @Inject SlaService service;
  @Inject SlaRepository sla;
  @Inject AlertRepository alerts;
  @Inject HeartbeatStore store;
  @Inject HealthEffects effects;
  @Inject HealthEventFeed feed;
  @Inject BotRegistry registry;
  @Inject DeadBotSweeper sweeper;
  @Inject EventLog eventLog;
  @Inject Outbox outbox;
  @Inject EntityManager entityManager;
  @Inject SlaClock clock;
  @Inject ObserverClock observer;

  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "health-sla");
            thread.setDaemon(true);
            return thread;
          });

  void start(@Observes StartupEvent event) {
    long every = config.sla().checkInterval().toMillis();
    worker.scheduleWithFixedDelay(this::runSafely, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    worker.shutdownNow();
  }

  /** The configured window of the periodic check. */
  SlaWindow window() {
    return switch (config.sla().checkWindow().toLowerCase(Locale.ROOT)) {
      case "1h" -> SlaWindow.HOUR_1;
      case "7d" -> SlaWindow.DAYS_7;
      case "30d" -> SlaWindow.DAYS_30;
      case "month" -> SlaWindow.CALENDAR_MONTH;
      default -> SlaWindow.HOURS_24;
    };
  }

  private void runSafely() {
    try {
      if (sweeper.owner()) {
        checkAll();
      }
    } catch (RuntimeException e) {
      Log.warnf(e, "SLA check failed; retrying at the next run");
    }
  }

  /** Checks every tracked bot with targets once. Returns how many. Public for tests. */
  public int checkAll() {
    // An outage (of health-service, or of its database) that just ended is recorded as a gap
    // before anything is judged: judged without it, every bot would breach and be paused.
    observer.refresh(java.time.Instant.now());
    int checked = 0;
    boolean mirrored = false;
    for (SlaBot bot : sla.trackedWithTargets()) {
      try {
        mirrored |= check(bot);
        checked++;
      } catch (RuntimeException e) {
        Log.warnf(e, "SLA check of %s failed", bot.botId());
      }
    }
    if (mirrored) {
      // Once a day with the bots' compliance: the bots GreenHelix knows to have an SLA.
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  outbox.enqueue(
                      config.fleetManagerAgentId(),
                      "search_agents_by_metrics",
                      Map.of("metric", "sla_active", "threshold", 1)));
    }
    return checked;
  }

  /** Checks one bot; true if its compliance was mirrored to GreenHelix (first check of a day). */
  private boolean check(SlaBot bot) {
    SlaService.Compliance compliance = service.compliance(bot, window(), clock.now());
    TrackedBot tracked =
        new TrackedBot(bot.botId(), bot.name(), bot.group(), "", "", false, bot.trackedAt());
    LocalDate today = compliance.checkedAt().atZone(ZoneOffset.UTC).toLocalDate();
    boolean[] searched = {false};
    List<HealthEvent> events = new ArrayList<>();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              SlaState previous = sla.state(bot.botId());
              Alert open = previous.alertId() == null ? null : openAlert(previous.alertId());
              Alert openBurn =
                  previous.burnAlertId() == null ? null : openAlert(previous.burnAlertId());
              SlaEscalation escalation =
                  SlaEscalation.decide(
                      tracked,
                      previous,
                      open,
                      openBurn,
                      compliance.check(),
                      compliance.burn(),
                      compliance.burnRates(),
                      compliance.checkedAt());
              SlaState state = escalation.state();
              for (SlaFinding warning : escalation.warningsToRecord()) {
                Map<String, Object> facts = new LinkedHashMap<>();
                facts.put("agent_id", bot.botId());
                facts.put("bot_name", bot.name());
                facts.put("metric", warning.metric());
                facts.put("target", warning.target());
                facts.put("actual", warning.actual());
                facts.put("message", warning.message());
                eventLog.append(EventRouting.SLA_WARNING, bot.botId(), EventLog.SYSTEM, facts);
                Log.infof("SLA warning for %s: %s", bot.name(), warning.message());
              }
              if (previous.mirroredOn() == null || previous.mirroredOn().isBefore(today)) {
                mirror(bot);
                searched[0] = true;
                state =
                    new SlaState(
                        state.botId(),
                        state.level(),
                        state.findings(),
                        state.burn(),
                        state.alertId(),
                        state.burnAlertId(),
                        state.checkedAt(),
                        state.reliabilityScore(),
                        state.reliabilityAt(),
                        today);
              }
              sla.save(state);
              events.addAll(escalation.events());
              if (!events.isEmpty()) {
                entityManager
                    .unwrap(Session.class)
                    .doWork(
                        connection -> {
                          store.insertEvents(connection, events, registry.replicaId());
                          store.saveAlerts(connection, HealthEffects.alertsOf(events));
                          store.insertDeliveries(connection, effects.deliveries(List.of(), events));
                          store.notifyEvents(connection);
                        });
                List<String> actors = new ArrayList<>();
                events.forEach(e -> actors.add(EventLog.SYSTEM));
                effects.record(List.of(), events, actors);
              }
            });
    if (!events.isEmpty()) {
      feed.wake();
      events.forEach(e -> Log.infof("SLA: %s", e.message()));
    }
    return searched[0];
  }

  /**
   * Mirrors the bot's SLA to GreenHelix (sla_* metrics, get_sla_compliance, get_agent_reputation:
   * daily).
   */
  private void mirror(SlaBot bot) {
    Map<String, Object> targets = new LinkedHashMap<>();
    targets.put("uptime_pct", bot.targets().uptimePct());
    targets.put("max_drawdown_pct", bot.targets().maxDrawdownPct());
    targets.put("min_trades_per_day", bot.targets().minTradesPerDay());
    targets.put("max_latency_ms", bot.targets().maxLatencyMs());
    // The sla_* metrics again: a bot that joined a group after its targets were set gets them.
    outbox.enqueue(
        bot.botId(),
        "submit_metrics",
        Map.of("agent_id", bot.botId(), "metrics", SlaService.metrics(bot.targets())));
    outbox.enqueue(
        bot.botId(), "get_sla_compliance", Map.of("agent_id", bot.botId(), "sla", targets));
    // Its reputation at GreenHelix, compared with botfleet's own score (ReputationAnswers).
    outbox.enqueue(bot.botId(), "get_agent_reputation", Map.of("agent_id", bot.botId()));
  }

  private Alert openAlert(java.util.UUID id) {
    return alerts.find(id).filter(Alert::open).orElse(null);
  }
}
