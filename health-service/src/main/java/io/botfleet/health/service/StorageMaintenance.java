package io.botfleet.health.service;

import io.botfleet.health.config.HealthConfig;
import io.botfleet.health.persistence.StorageRepository;
import io.botfleet.health.persistence.WebhookRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the storage in shape: daily partitions created ahead and dropped after their retention,
 * minute rollups of the raw heartbeats, and purges of old events and deliveries. Each job takes an
 * advisory lock, so with several replicas one runs it at a time.
 */
@ApplicationScoped
public class StorageMaintenance {

  /** Rolled per run at most, so catching up after a long stop goes in steps. */
  private static final Duration MAX_ROLLUP_STEP = Duration.ofHours(1);

  @Inject HealthConfig config;
  @Inject StorageRepository storage;
  @Inject WebhookRepository webhooks;

  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "health-storage");
            thread.setDaemon(true);
            return thread;
          });
  private volatile Instant nextHousekeeping = Instant.EPOCH;

  /** Creates today's and the coming partitions, then runs the jobs periodically. */
  void start() {
    ensurePartitions();
    long every = config.storage().maintenanceInterval().toMillis();
    worker.scheduleWithFixedDelay(this::runSafely, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    worker.shutdownNow();
  }

  /** True if a write failed because the day's partition does not exist. */
  static boolean missingPartition(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("no partition of relation")) {
        return true;
      }
    }
    return false;
  }

  /** Creates the daily partitions from yesterday to {@code partitions-ahead} days ahead. */
  public void ensurePartitions() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              if (!storage.tryLock("health_partitions")) {
                return;
              }
              for (String table : StorageRepository.PARTITIONED) {
                for (int d = -1; d <= config.storage().partitionsAhead(); d++) {
                  storage.createPartition(table, today.plusDays(d));
                }
              }
            });
  }

  /** One run: rollups, and hourly the partitions and retention. Public for tests. */
  public void runOnce() {
    rollUp();
    if (Instant.now().isAfter(nextHousekeeping)) {
      nextHousekeeping = Instant.now().plus(Duration.ofHours(1));
      ensurePartitions();
      retention();
    }
  }

  private void runSafely() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      Log.warnf(e, "Storage maintenance failed; retrying at the next run");
    }
  }

  /**
   * Rolls up every complete minute that is at least {@code rollup-lag} old, re-rolling the lag
   * before the last position so heartbeats that committed late are counted.
   */
  public void rollUp() {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              if (!storage.tryLock("health_rollup")) {
                return;
              }
              Duration lag = config.storage().rollupLag();
              Instant to = Instant.now().minus(lag).truncatedTo(ChronoUnit.MINUTES);
              Instant last = storage.rolledUpTo();
              Instant from =
                  last == null
                      ? to.minus(MAX_ROLLUP_STEP)
                      : last.minus(lag).truncatedTo(ChronoUnit.MINUTES);
              if (from.plus(MAX_ROLLUP_STEP).isBefore(to)) {
                to = from.plus(MAX_ROLLUP_STEP);
              }
              if (!from.isBefore(to)) {
                return;
              }
              storage.rollUp(from, to);
            });
  }

  /** Drops partitions and rows past their retention. Public for tests. */
  public void retention() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              if (!storage.tryLock("health_retention")) {
                return;
              }
              int raw =
                  storage.dropPartitionsBefore(
                      "heartbeats", today.minusDays(config.storage().rawRetention().toDays()));
              int minutes =
                  storage.dropPartitionsBefore(
                      "heartbeat_minutes",
                      today.minusDays(config.storage().minuteRetention().toDays()));
              int events = storage.purgeEvents(config.storage().eventRetention());
              if (raw + minutes + events > 0) {
                Log.infof(
                    "Retention: dropped %d raw and %d rollup partitions, %d health events",
                    raw, minutes, events);
              }
            });
    webhooks.purge(config.webhooks().logRetention());
  }
}
