package io.botfleet.health.service;

import io.agroal.api.AgroalDataSource;
import io.botfleet.common.events.EventLog;
import io.botfleet.health.config.HealthConfig;
import io.botfleet.health.domain.Alert;
import io.botfleet.health.domain.BotState;
import io.botfleet.health.domain.DeadlineQueue;
import io.botfleet.health.domain.FleetSilence;
import io.botfleet.health.domain.HealthEvent;
import io.botfleet.health.domain.HealthStatus;
import io.botfleet.health.domain.MassSilenceRule;
import io.botfleet.health.persistence.BotRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Dead-bot detection. One replica owns it (a PostgreSQL session advisory lock held on a dedicated
 * connection); the owner keeps a deadline queue of every watched bot and wakes exactly when the
 * earliest deadline passes, so a bot is flagged within milliseconds of its deadline, not on a
 * periodic sweep.
 *
 * <p>Telling "the bot is gone" from "we were gone":
 *
 * <ul>
 *   <li>when a replica becomes the owner (start, or takeover), every bot gets one full threshold of
 *       grace from that moment;
 *   <li>before declaring a bot dead, the owner checks the shared current-state table for a
 *       heartbeat another replica received;
 *   <li>if the owner itself was stalled (GC, CPU starvation), heartbeats may be waiting unread:
 *       deaths are postponed by the stall;
 *   <li>if more than a share of the fleet is silent when a deadline passes, that is a mass silence:
 *       one fleet-level alert, no bot_dead events (so no failover) until it is over, and then every
 *       bot gets a fresh threshold.
 * </ul>
 */
@ApplicationScoped
public class DeadBotSweeper {

  private static final String LOCK = "hashtext('health_dead_bots:' || current_schema())";

  @Inject AgroalDataSource dataSource;
  @Inject HealthConfig config;
  @Inject BotRegistry registry;
  @Inject PolicyCache policies;
  @Inject HeartbeatWriter writer;
  @Inject BotRepository bots;
  @Inject MeterRegistry meters;

  private final DeadlineQueue queue = new DeadlineQueue();
  private final ConcurrentLinkedQueue<String> toWatch = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean rebuild = new AtomicBoolean();
  private final Object signal = new Object();
  private final Set<String> suspended = new HashSet<>();
  private volatile boolean running;
  private volatile boolean owner;
  private volatile Instant graceStart = Instant.now();
  private volatile Alert massSilence;
  private Connection lockConnection;
  private long pausedUntil;
  private long nextSilenceCheck;
  private MassSilenceRule rule;
  private Timer delay;
  private Thread thread;

  void start() {
    rule =
        new MassSilenceRule(config.dead().massSilenceShare(), config.dead().massSilenceMinBots());
    delay =
        Timer.builder("botfleet.health.dead.detection_delay")
            .description("time from a bot's deadline to its death being declared")
            .publishPercentiles(0.5, 0.99)
            .register(meters);
    graceStart = Instant.now();
    policies.onChange(() -> rebuildSoon());
    running = true;
    thread = new Thread(this::run, "dead-bot-sweeper");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    wake();
    if (thread != null) {
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    release();
  }

  /** True if this replica is the one that declares deaths. */
  public boolean owner() {
    return owner;
  }

  /** Since when bots get their grace on this replica (start or takeover). */
  public Instant graceStart() {
    return graceStart;
  }

  /** True while a mass silence suspends dead-bot detection. */
  public boolean massSilence() {
    return massSilence != null;
  }

  /** Watches a bot again (tracked, recovered, no longer standby). */
  public void watch(String botId) {
    toWatch.add(botId);
    wake();
  }

  /** Recomputes every deadline (a policy changed). */
  public void rebuildSoon() {
    rebuild.set(true);
    wake();
  }

  private void wake() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  private void run() {
    long nextOwnerTry = 0;
    long nextLockCheck = 0;
    long intendedWake = 0;
    while (running) {
      try {
        long now = System.currentTimeMillis();
        if (!owner && now >= nextOwnerTry) {
          tryToOwn();
          nextOwnerTry = now + config.dead().ownerRetry().toMillis();
        }
        if (owner && now >= nextLockCheck) {
          checkLock();
          nextLockCheck = now + 2000;
        }
        long wait = config.dead().ownerRetry().toMillis();
        if (owner) {
          long late = intendedWake == 0 ? 0 : now - intendedWake;
          if (late > config.dead().stallTolerance().toMillis()) {
            // We were not running: heartbeats may sit unread in buffers. Give them time.
            pausedUntil = now + late;
            Log.warnf("Dead-bot sweeper was stalled %d ms: deaths postponed by as much", late);
          }
          if (rebuild.getAndSet(false)) {
            rebuildQueue();
          }
          for (String id = toWatch.poll(); id != null; id = toWatch.poll()) {
            schedule(id);
          }
          tick(now);
          long next = Math.min(queue.nextDue(), now + 1000);
          wait = Math.max(1, next - System.currentTimeMillis());
        }
        intendedWake = System.currentTimeMillis() + wait;
        synchronized (signal) {
          if (toWatch.isEmpty() && !rebuild.get() && running) {
            signal.wait(wait);
          }
        }
        if (System.currentTimeMillis() < intendedWake) {
          intendedWake = 0; // woken early on purpose: no stall to measure
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        Log.errorf(e, "Dead-bot sweeper pass failed");
        intendedWake = 0;
        try {
          Thread.sleep(500);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void tick(long now) {
    List<BotState> candidates = new ArrayList<>();
    for (String id : queue.pollDue(now)) {
      registry
          .find(id)
          .ifPresent(
              state -> {
                if (!watched(state)) {
                  return;
                }
                long deadline = deadline(state);
                if (deadline > now) {
                  queue.schedule(id, deadline);
                } else {
                  candidates.add(state);
                }
              });
    }
    if (!candidates.isEmpty() && now < pausedUntil) {
      candidates.forEach(c -> queue.schedule(c.botId(), pausedUntil));
      candidates.clear();
    }
    if (!candidates.isEmpty()) {
      confirmWithOtherReplicas(candidates, now);
    }
    if (massSilence == null && candidates.isEmpty()) {
      return;
    }
    int[] counts = silentAndWatched(now, massSilence == null);
    if (massSilence == null && rule.starts(counts[0], counts[1])) {
      List<HealthEvent> events =
          FleetSilence.started(counts[0], counts[1], Instant.ofEpochMilli(now));
      massSilence = events.get(1).alert();
      writer.submit(WriteItem.events(events, null, EventLog.SYSTEM));
      Log.warnf(
          "Mass silence: %d of %d bots silent; dead-bot detection suspended", counts[0], counts[1]);
      nextSilenceCheck = now + 1000;
    }
    if (massSilence != null) {
      candidates.forEach(c -> suspended.add(c.botId()));
      if (now >= nextSilenceCheck) {
        nextSilenceCheck = now + 1000;
        int[] still = silentAndWatched(now, false);
        if (rule.ends(still[0], still[1])) {
          endMassSilence(now, still);
        }
      }
      return;
    }
    for (BotState state : candidates) {
      declareDead(state, now);
    }
  }

  private void endMassSilence(long now, int[] still) {
    writer.submit(
        WriteItem.events(
            FleetSilence.ended(massSilence, still[0], still[1], Instant.ofEpochMilli(now)),
            null,
            EventLog.SYSTEM));
    Log.infof("Mass silence over: %d of %d bots still silent", still[0], still[1]);
    massSilence = null;
    // As after a restart: whoever is still silent gets a full threshold from now.
    graceStart = Instant.ofEpochMilli(now);
    for (String id : suspended) {
      schedule(id);
    }
    suspended.clear();
  }

  private void declareDead(BotState state, long now) {
    long deadline = deadline(state);
    synchronized (state) {
      List<HealthEvent> events = state.declareDead(Instant.ofEpochMilli(now));
      if (events.isEmpty()) {
        return;
      }
      writer.submit(WriteItem.events(events, state.snapshot(), EventLog.SYSTEM));
    }
    delay.record(Math.max(0, now - deadline), TimeUnit.MILLISECONDS);
    Log.infof("Bot %s (%s) is dead", state.botId(), state.bot().name());
  }

  /** Heartbeats another replica received are in the current-state table. */
  private void confirmWithOtherReplicas(List<BotState> candidates, long now) {
    Map<String, Instant> stored =
        bots.lastHeartbeats(candidates.stream().map(BotState::botId).toList());
    candidates.removeIf(
        state -> {
          Instant elsewhere = stored.get(state.botId());
          if (elsewhere == null) {
            return false;
          }
          state.heardElsewhere(elsewhere);
          long deadline = deadline(state);
          if (deadline > now) {
            queue.schedule(state.botId(), deadline);
            return true;
          }
          return false;
        });
  }

  /**
   * {silent, watched}: watched bots are tracked and not standby; silent ones are quiet for at least
   * half their threshold, or (when {@code countRecentDeaths}) died within the last one.
   */
  private int[] silentAndWatched(long now, boolean countRecentDeaths) {
    int silent = 0;
    int watchedBots = 0;
    for (BotState state : registry.all()) {
      if (state.bot().standby()) {
        continue;
      }
      watchedBots++;
      long deadAfter = deadAfter(state).toMillis();
      if (state.status() == HealthStatus.DEAD) {
        if (countRecentDeaths) {
          Instant since = state.snapshot().deadSince();
          if (since != null && now - since.toEpochMilli() < deadAfter) {
            silent++;
          }
        }
        continue;
      }
      long lastContact = deadline(state) - deadAfter;
      if (MassSilenceRule.silent(lastContact, now, deadAfter)) {
        silent++;
      }
    }
    return new int[] {silent, watchedBots};
  }

  private void schedule(String botId) {
    registry
        .find(botId)
        .ifPresent(
            state -> {
              if (watched(state)) {
                queue.schedule(botId, deadline(state));
              }
            });
  }

  private void rebuildQueue() {
    queue.clear();
    for (BotState state : registry.all()) {
      if (watched(state)) {
        queue.schedule(state.botId(), deadline(state));
      }
    }
  }

  private boolean watched(BotState state) {
    return !state.bot().standby() && state.status() != HealthStatus.DEAD;
  }

  private long deadline(BotState state) {
    return state.deadline(graceStart, deadAfter(state)).toEpochMilli();
  }

  private Duration deadAfter(BotState state) {
    return policies.of(state.bot().group()).deadAfter().orElseThrow();
  }

  private void tryToOwn() {
    Connection connection = null;
    try {
      connection = dataSource.getConnection();
      connection.setAutoCommit(true);
      boolean locked;
      try (Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("select pg_try_advisory_lock(" + LOCK + ")")) {
        result.next();
        locked = result.getBoolean(1);
      }
      if (!locked) {
        connection.close();
        return;
      }
      lockConnection = connection;
      graceStart = Instant.now();
      massSilence =
          bots.openAlerts().values().stream()
              .filter(a -> Alert.MASS_SILENCE.equals(a.kind()))
              .findFirst()
              .orElse(null);
      suspended.clear();
      nextSilenceCheck = 0;
      rebuildQueue();
      owner = true;
      Log.infof(
          "This replica now watches for dead bots (%d bots, each with a grace of one threshold)",
          queue.size());
    } catch (SQLException e) {
      Log.warnf("Could not try the dead-bot lock: %s", e.getMessage());
      closeQuietly(connection);
    }
  }

  private void checkLock() {
    try (Statement statement = lockConnection.createStatement()) {
      statement.execute("select 1");
    } catch (SQLException e) {
      Log.warnf(
          "Lost the dead-bot lock connection (%s): another replica may take over", e.getMessage());
      owner = false;
      closeQuietly(lockConnection);
      lockConnection = null;
      queue.clear();
    }
  }

  private void release() {
    Connection connection = lockConnection;
    if (connection != null) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("select pg_advisory_unlock(" + LOCK + ")");
      } catch (SQLException e) {
        // closing the connection releases it anyway
      }
      closeQuietly(connection);
      lockConnection = null;
      owner = false;
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // nothing more to do
      }
    }
  }
}
