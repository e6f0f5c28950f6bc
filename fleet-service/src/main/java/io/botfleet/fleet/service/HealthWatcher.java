package io.botfleet.fleet.service;

import io.botfleet.fleet.client.HealthClient;
import io.botfleet.fleet.config.FleetConfig;
import io.botfleet.fleet.domain.BotStatus;
import io.botfleet.fleet.domain.Control;
import io.botfleet.fleet.domain.HealthEvent;
import io.botfleet.fleet.domain.Scope;
import io.botfleet.fleet.persistence.BotEntity;
import io.botfleet.fleet.persistence.BotRepository;
import io.botfleet.fleet.persistence.HealthWatchRepository;
import io.botfleet.fleet.persistence.LeaseRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Follows health-service's WatchHealth: dead bots become dead (and fail over per their group's
 * policy), recovered and heartbeating bots come back, versions follow what bots report, and an SLA
 * breached critically pauses the bot with the reason recorded. One replica follows at a time (a
 * lease); the last sequence applied is persisted, so a new holder, or a reconnection, resumes where
 * the last one stopped. The stream is reopened with capped exponential backoff and jitter.
 */
@ApplicationScoped
public class HealthWatcher {

  static final String LEASE = "health_watch";
  private static final Set<BotStatus> LIVE =
      Set.of(BotStatus.ACTIVE, BotStatus.PAUSED, BotStatus.STOPPED);

  @Inject HealthClient health;
  @Inject LeaseRepository leases;
  @Inject HealthWatchRepository position;
  @Inject BotRepository bots;
  @Inject BotStatusService statuses;
  @Inject FailoverService failover;
  @Inject FleetControlService control;
  @Inject Replica replica;
  @Inject FleetConfig config;

  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(CommandDispatcher.daemon("fleet-health-watch"));
  private volatile Runnable stopWatch;
  private volatile boolean holding;
  private volatile boolean watching;
  private volatile boolean stopped;

  /** Each stream opened gets a new generation; events of an abandoned stream are dropped. */
  private volatile long generation;

  private Duration backoff;

  void start(@Observes StartupEvent event) {
    if (!config.healthWatch().enabled()) {
      Log.info("The health watch is disabled (botfleet.fleet.health-watch.enabled=false)");
      return;
    }
    backoff = config.healthWatch().backoff();
    long renew = Math.max(100, config.leaseTtl().toMillis() / 3);
    worker.scheduleWithFixedDelay(this::renewLease, 0, renew, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    stopped = true;
    cancelWatch();
    worker.shutdownNow();
    if (holding) {
      try {
        QuarkusTransaction.requiringNew().run(() -> leases.release(LEASE, replica.id()));
      } catch (RuntimeException e) {
        Log.debugf("Could not release the health watch lease: %s", e.getMessage());
      }
    }
  }

  /** True while this replica follows health-service. */
  public boolean holding() {
    return holding;
  }

  private void renewLease() {
    try {
      boolean held =
          QuarkusTransaction.requiringNew()
              .call(() -> leases.acquire(LEASE, replica.id(), config.leaseTtl()));
      if (held && !holding) {
        Log.infof("This replica (%s) follows health-service now", replica.id());
      }
      holding = held;
      if (!held) {
        cancelWatch();
      } else if (!watching) {
        connect();
      }
    } catch (RuntimeException e) {
      Log.warnf("Health watch lease check failed: %s", e.getMessage());
    }
  }

  private void connect() {
    if (stopped || !holding || watching) {
      return;
    }
    long after;
    try {
      after = QuarkusTransaction.requiringNew().call(() -> position.read().afterSequence());
    } catch (RuntimeException e) {
      Log.warnf("Cannot read the health watch position: %s", e.getMessage());
      return;
    }
    long gen = ++generation;
    watching = true;
    stopWatch =
        health.watch(
            after,
            new HealthClient.WatchListener() {
              @Override
              public void onEvent(HealthEvent event) {
                worker.execute(() -> apply(gen, event));
              }

              @Override
              public void onEnd(Throwable cause) {
                worker.execute(() -> ended(gen, cause));
              }
            });
  }

  private void ended(long gen, Throwable cause) {
    if (gen != generation) {
      return;
    }
    watching = false;
    stopWatch = null;
    if (stopped || !holding) {
      return;
    }
    Duration wait = backoff;
    backoff = min(backoff.multipliedBy(2), config.healthWatch().maxBackoff());
    long jittered =
        wait.toMillis() / 2 + ThreadLocalRandom.current().nextLong(wait.toMillis() / 2 + 1);
    Log.warnf(
        "Health watch ended (%s); reconnecting in %d ms",
        cause == null ? "completed" : cause.getMessage(), jittered);
    worker.schedule(this::connect, jittered, TimeUnit.MILLISECONDS);
  }

  private void cancelWatch() {
    Runnable stop = stopWatch;
    if (stop != null) {
      stop.run();
    }
  }

  /** Applies one event, exactly once in effect (its sequence is recorded after its effects). */
  void apply(long gen, HealthEvent event) {
    if (!holding || gen != generation) {
      return;
    }
    backoff = config.healthWatch().backoff();
    try {
      long applied = QuarkusTransaction.requiringNew().call(() -> position.read().afterSequence());
      if (event.sequence() <= applied) {
        return;
      }
      boolean massSilence =
          QuarkusTransaction.requiringNew().call(() -> position.read().massSilence());
      switch (event.type()) {
        case BOT_DEAD -> died(event);
        case STATUS_CHANGED -> {
          if ("dead".equals(event.status())) {
            died(event);
          } else if (!"unknown".equals(event.status())) {
            alive(event, "heartbeating (" + event.status() + ")");
          }
        }
        case BOT_RECOVERED -> alive(event, "recovered: heartbeating again");
        case VERSION_CHANGED -> version(event);
        case MASS_SILENCE_STARTED -> {
          massSilence = true;
          Log.warnf("health-service reports a mass silence: no automatic failover until it ends");
        }
        case MASS_SILENCE_ENDED -> massSilence = false;
        case SLA_CRITICAL -> slaCritical(event);
        case OTHER -> {}
      }
      boolean silence = massSilence;
      QuarkusTransaction.requiringNew().run(() -> position.advance(event.sequence(), silence));
    } catch (RuntimeException e) {
      // Not recorded as applied: the stream is reopened from before it, and it is applied again.
      Log.warnf(e, "Applying health event %d failed; resuming from before it", event.sequence());
      generation++;
      cancelWatch();
      watching = false;
      stopWatch = null;
      ended(generation, e);
    }
  }

  private void died(HealthEvent event) {
    boolean changed =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  BotEntity bot = bots.findById(event.botId());
                  if (bot == null || !LIVE.contains(bot.status)) {
                    return false;
                  }
                  BotStatus from = bot.status;
                  bot.changeStatus(BotStatus.DEAD, "no heartbeat: " + event.message());
                  bot.deadAt = event.eventTime().atOffset(ZoneOffset.UTC);
                  if (event.lastHeartbeatAt() != null) {
                    bot.lastHeartbeatAt = event.lastHeartbeatAt().atOffset(ZoneOffset.UTC);
                  }
                  statuses.statusChanged(
                      bot.id, bot.name, from, BotStatus.DEAD, "no heartbeat", "system");
                  return true;
                });
    if (changed) {
      failover.onDeath(event.botId(), event.sequence());
    }
  }

  private void alive(HealthEvent event, String reason) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              BotEntity bot = bots.findById(event.botId());
              if (bot == null) {
                return;
              }
              bot.lastHeartbeatAt = event.eventTime().atOffset(ZoneOffset.UTC);
              if (bot.status != BotStatus.PENDING && bot.status != BotStatus.DEAD) {
                return;
              }
              BotStatus from = bot.status;
              BotStatus to =
                  bot.standby && bot.control == Control.ACTIVE
                      ? BotStatus.STANDBY
                      : BotStatus.valueOf(bot.control.name());
              bot.changeStatus(to, reason);
              bot.deadAt = null;
              statuses.statusChanged(bot.id, bot.name, from, to, reason, "system");
            });
  }

  private void version(HealthEvent event) {
    if (event.version().isBlank()) {
      return;
    }
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              BotEntity bot = bots.findById(event.botId());
              if (bot != null) {
                bot.version = event.version();
              }
            });
  }

  private void slaCritical(HealthEvent event) {
    boolean active =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  BotEntity bot = bots.findById(event.botId());
                  return bot != null && bot.status == BotStatus.ACTIVE;
                });
    if (!active) {
      return;
    }
    String findings =
        event.issues().isEmpty() ? event.message() : String.join("; ", event.issues());
    control.pause(
        Scope.bot(event.botId()),
        "sla_critical: " + findings,
        Duration.ofHours(24),
        "health-" + event.sequence() + "-sla-pause");
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
