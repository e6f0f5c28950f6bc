package io.botfleet.fleet.service;

import io.botfleet.fleet.config.FleetConfig;
import io.botfleet.fleet.persistence.CommandRetentionRepository;
import io.botfleet.fleet.persistence.CommandRetentionRepository.Position;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Bounded storage for commands: their deliveries, then the commands themselves, are deleted once
 * older than {@code botfleet.fleet.command-retention}. A delivery still open is kept (and so its
 * command) whatever its age, as is a command not yet mirrored to GreenHelix or referenced by a
 * failover. Fleet events are the audit trail and are not touched.
 *
 * <p>Runs on housekeeping, every replica: each step is one short transaction under an advisory lock
 * (a replica that finds it taken stops its pass: another one is purging), and every delete is
 * idempotent. A large backlog (the first start with a long history) is worked off a few seconds at
 * a time, so the other housekeeping jobs, this replica's heartbeat among them, keep running.
 */
@ApplicationScoped
public class CommandRetention {

  /** Commands looked at per step. */
  static final int COMMANDS_PER_STEP = 1000;

  /** Deliveries deleted per statement: a short transaction and lock, whatever the fleet's size. */
  static final int DELIVERIES_PER_STATEMENT = 10_000;

  /** How often a purge starts once the previous one finished. */
  private static final Duration EVERY = Duration.ofMinutes(10);

  /** Housekeeping time one pass may spend purging; the rest waits for the next pass. */
  private static final Duration BUDGET_PER_PASS = Duration.ofSeconds(2);

  /**
   * What a purge deleted.
   *
   * @param deliveries deliveries deleted
   * @param commands commands deleted
   * @param finished false if it stopped early (time budget, or another replica is purging)
   */
  public record Purged(long deliveries, long commands, boolean finished) {}

  @Inject CommandRetentionRepository rows;
  @Inject FleetConfig config;

  /**
   * One purge at a time in this process: housekeeping, or a test calling {@link #purge()} (a test
   * holds it to keep housekeeping's purge out of a sequence of calls).
   */
  final ReentrantLock running = new ReentrantLock();

  /** Where an unfinished purge stopped (only read and written under {@link #running}). */
  private Position resumeAt = Position.START;

  /** Deleted since the current purge started (it may span several passes). */
  private long deletedDeliveries;

  private long deletedCommands;
  private Instant lastProgressLog = Instant.EPOCH;

  private volatile Instant nextPurge = Instant.EPOCH;

  /** Refuses to start with a retention that would purge what was just issued. */
  void check() {
    Duration retention = config.commandRetention();
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalStateException(
          "botfleet.fleet.command-retention must be positive (e.g. 90d), got " + retention);
    }
  }

  /** Housekeeping: purges when due, within this pass's time budget. */
  void runIfDue() {
    if (Instant.now().isBefore(nextPurge)) {
      return;
    }
    nextPurge = Instant.now().plus(EVERY);
    Purged purged = purge(Instant.now().plus(BUDGET_PER_PASS));
    if (!purged.finished()) {
      // Go on at the next pass (if another replica holds the lock, it is doing the work).
      nextPurge = Instant.now();
    }
  }

  /** A whole purge, without a time budget. Public for tests. */
  public Purged purge() {
    return purge(Instant.MAX);
  }

  /** Purges until done or past {@code deadline} (checked between statements). */
  Purged purge(Instant deadline) {
    running.lock();
    try {
      Duration retention = config.commandRetention();
      long deliveries = 0;
      long commands = 0;
      while (true) {
        Position after = resumeAt;
        List<Position> batch = locked(() -> rows.expired(retention, after, COMMANDS_PER_STEP));
        if (batch == null) {
          return report(deliveries, commands, false);
        }
        List<UUID> ids = batch.stream().map(Position::id).toList();
        while (!ids.isEmpty()) {
          Integer deleted =
              locked(() -> rows.deleteFinishedDeliveries(ids, DELIVERIES_PER_STATEMENT));
          if (deleted == null) {
            return report(deliveries, commands, false);
          }
          deliveries += deleted;
          if (deleted < DELIVERIES_PER_STATEMENT) {
            break;
          }
          if (Instant.now().isAfter(deadline)) {
            return report(deliveries, commands, false);
          }
        }
        if (!ids.isEmpty()) {
          Integer deleted = locked(() -> rows.deleteEmptyCommands(ids, retention));
          if (deleted == null) {
            return report(deliveries, commands, false);
          }
          commands += deleted;
        }
        if (batch.size() < COMMANDS_PER_STEP) {
          resumeAt = Position.START;
          return report(deliveries, commands, true);
        }
        resumeAt = batch.get(batch.size() - 1);
        if (Instant.now().isAfter(deadline)) {
          return report(deliveries, commands, false);
        }
      }
    } finally {
      running.unlock();
    }
  }

  /**
   * Runs one step in its own transaction under the purge's lock; null if another replica has it.
   */
  private <T> T locked(Supplier<T> step) {
    return QuarkusTransaction.requiringNew().call(() -> rows.tryLock() ? step.get() : null);
  }

  /**
   * Logs what the purge deleted when it finishes (a backlog worked off over many passes: at most
   * once a minute while it goes on).
   */
  private Purged report(long deliveries, long commands, boolean finished) {
    deletedDeliveries += deliveries;
    deletedCommands += commands;
    boolean progress = Instant.now().isAfter(lastProgressLog.plus(Duration.ofMinutes(1)));
    if (deletedDeliveries + deletedCommands > 0 && (finished || progress)) {
      lastProgressLog = Instant.now();
      Log.infof(
          "Command retention: %s %d deliveries and %d commands issued more than %s ago",
          finished ? "deleted" : "deleting; so far",
          deletedDeliveries,
          deletedCommands,
          days(config.commandRetention()));
    }
    if (finished) {
      deletedDeliveries = 0;
      deletedCommands = 0;
    }
    return new Purged(deliveries, commands, finished);
  }

  private static String days(Duration duration) {
    return duration.toSeconds() % 86_400 == 0 ? duration.toDays() + "d" : duration.toString();
  }
}
