package io.botfleet.deploy.service;

import io.botfleet.deploy.client.HealthClient;
import io.botfleet.deploy.config.DeployConfig;
import io.botfleet.deploy.domain.HealthEvent;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows health-service's WatchHealth stream so that a bot that turns critical, dies or reports a
 * new version moves its deployment at once instead of at the next tick. It only wakes the driver:
 * what the engine decides comes from GetBotHealth and the heartbeat history, so a missed event
 * delays a decision by one tick and never changes it. A lost stream is reopened after the last
 * sequence seen, with backoff.
 */
@ApplicationScoped
public class HealthWatcher {

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  @Inject HealthClient health;
  @Inject RolloutDriver driver;
  @Inject DeployConfig config;

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "health-watch");
            t.setDaemon(true);
            return t;
          });
  private volatile long lastSequence;
  private volatile Duration backoff;
  private volatile Runnable cancel;
  private volatile boolean stopped;

  void onStart(@Observes StartupEvent event) {
    if (config.driverEnabled() && config.watchHealth()) {
      backoff = config.watchBackoff();
      scheduler.execute(this::connect);
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stopped = true;
    Runnable c = cancel;
    if (c != null) {
      c.run();
    }
    scheduler.shutdownNow();
  }

  private void connect() {
    if (stopped) {
      return;
    }
    cancel = health.watch(lastSequence, new Listener());
  }

  private final class Listener implements HealthClient.WatchListener {
    @Override
    public void onEvent(HealthEvent event) {
      lastSequence = Math.max(lastSequence, event.sequence());
      backoff = config.watchBackoff();
      boolean matters =
          switch (event.type()) {
            case BOT_DEAD, BOT_RECOVERED, VERSION_CHANGED -> true;
            case STATUS_CHANGED -> event.status().failsGate();
            case OTHER -> false;
          };
      if (matters) {
        driver.wake();
      }
    }

    @Override
    public void onEnd(Throwable cause) {
      if (stopped) {
        return;
      }
      Duration wait = backoff;
      backoff =
          wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
      Log.debugf(
          "WatchHealth ended (%s); reopening after sequence %d in %d ms",
          cause == null ? "completed" : cause.getMessage(), lastSequence, wait.toMillis());
      scheduler.schedule(HealthWatcher.this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
