package io.botfleet.health.service;

import io.agroal.api.AgroalDataSource;
import io.botfleet.common.events.EventLog;
import io.botfleet.health.config.HealthConfig;
import io.botfleet.health.domain.Alert;
import io.botfleet.health.domain.BotState;
import io.botfleet.health.domain.DeadBotDetector;
import io.botfleet.health.domain.HealthEvent;
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
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs dead-bot detection ({@link DeadBotDetector}) on one thread of the one replica that owns it:
 * a PostgreSQL session advisory lock held on a dedicated connection. The thread sleeps until the
 * earliest deadline and wakes exactly then, so a bot is flagged within milliseconds of its
 * deadline, not on a periodic sweep. A replica that takes over gives every bot a full threshold of
 * grace; if the thread itself was stalled (GC, CPU starvation), deaths wait as long again, since
 * heartbeats may be sitting unread meanwhile.
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

  private final ConcurrentLinkedQueue<String> toWatch = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean rebuild = new AtomicBoolean();
  private final Object signal = new Object();
  private final Instant started = Instant.now();
  private volatile boolean running;
  private volatile boolean owner;
  private volatile DeadBotDetector detector;
  private Connection lockConnection;
  private Timer delay;
  private Thread thread;

  private final DeadBotDetector.Fleet fleet =
      new DeadBotDetector.Fleet() {
        @Override
        public Collection<BotState> bots() {
          return registry.all();
        }

        @Override
        public Optional<BotState> find(String botId) {
          return registry.find(botId);
        }

        @Override
        public Duration deadAfter(BotState state) {
          return policies.of(state.bot().group()).deadAfter().orElseThrow();
        }
      };

  private final DeadBotDetector.Sink sink =
      new DeadBotDetector.Sink() {
        @Override
        public void dead(BotState state, List<HealthEvent> events, long deadline) {
          writer.submit(WriteItem.events(events, state.snapshot(), EventLog.SYSTEM));
          delay.record(Math.max(0, System.currentTimeMillis() - deadline), TimeUnit.MILLISECONDS);
          Log.infof("Bot %s (%s) is dead", state.botId(), state.bot().name());
        }

        @Override
        public void fleet(List<HealthEvent> events) {
          writer.submit(WriteItem.events(events, null, EventLog.SYSTEM));
          Log.warn(events.get(0).message());
        }
      };

  void start() {
    detector =
        new DeadBotDetector(
            new MassSilenceRule(
                config.dead().massSilenceShare(), config.dead().massSilenceMinBots()),
            started);
    delay =
        Timer.builder("botfleet.health.dead.detection_delay")
            .description("time from a bot's deadline to its death being declared")
            .publishPercentiles(0.5, 0.99)
            .register(meters);
    policies.onChange(this::rebuildSoon);
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

  /** Since when bots get their grace here (start, takeover, end of a mass silence). */
  public Instant graceStart() {
    DeadBotDetector d = detector;
    return d == null ? started : d.graceStart();
  }

  /** True while a mass silence suspends dead-bot detection. */
  public boolean massSilence() {
    DeadBotDetector d = detector;
    return d != null && owner && d.massSilence() != null;
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
            detector.stalled(now, late);
            Log.warnf("Dead-bot sweeper was stalled %d ms: deaths postponed by as much", late);
          }
          if (rebuild.getAndSet(false)) {
            detector.rebuild(fleet);
          }
          for (String id = toWatch.poll(); id != null; id = toWatch.poll()) {
            detector.watch(id, fleet);
          }
          detector.tick(now, fleet, bots::lastHeartbeats, sink);
          long next = Math.min(detector.nextCheck(now), now + 1000);
          wait = Math.max(1, next - System.currentTimeMillis());
        }
        intendedWake = System.currentTimeMillis() + wait;
        synchronized (signal) {
          if (toWatch.isEmpty() && !rebuild.get() && running) {
            signal.wait(wait);
          }
        }
        if (System.currentTimeMillis() < intendedWake) {
          intendedWake = 0; // woken early on purpose: nothing to measure
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
      Alert openSilence =
          bots.openAlerts().values().stream()
              .filter(a -> Alert.MASS_SILENCE.equals(a.kind()))
              .findFirst()
              .orElse(null);
      detector.takeOver(Instant.now(), openSilence, fleet);
      owner = true;
      Log.infof(
          "This replica now watches for dead bots: %d bots, each with a grace of one threshold",
          detector.watched());
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
      detector.clear();
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
