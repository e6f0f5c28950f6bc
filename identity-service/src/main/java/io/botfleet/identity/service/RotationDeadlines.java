package io.botfleet.identity.service;

import io.botfleet.identity.config.IdentityConfig;
import io.botfleet.identity.persistence.KeyRotationRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Drives rotation deadlines: every few seconds, each rotation past its deadline is completed (the
 * new key was registered) or cancelled (it was not). Deadlines are in the database, so they survive
 * restarts; each rotation is settled under its identity's row lock, taken with SKIP LOCKED, so with
 * several replicas exactly one acts on it.
 */
@ApplicationScoped
public class RotationDeadlines {

  private static final int BATCH = 100;

  @Inject KeyRotationRepository rotations;
  @Inject RotationEndings endings;
  @Inject IdentityConfig config;

  private ScheduledExecutorService worker;

  void start(@Observes StartupEvent event) {
    worker =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "rotation-deadlines");
              thread.setDaemon(true);
              return thread;
            });
    long interval = config.rotationDeadlineCheckInterval().toMillis();
    worker.scheduleWithFixedDelay(this::checkSafely, interval, interval, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (worker != null) {
      worker.shutdownNow();
    }
  }

  /**
   * Settles the rotations past their deadline now, a batch at a time, until none is left or a whole
   * batch could not be settled (held by another replica, or failing: retried at the next check).
   * Returns how many were settled.
   */
  public int checkNow() {
    int settled = 0;
    while (true) {
      List<String> due =
          QuarkusTransaction.requiringNew()
              .call(() -> rotations.agentsPastDeadline(Timestamps.now(), BATCH));
      int settledNow = 0;
      for (String agentId : due) {
        try {
          if (endings.settleDeadline(agentId)) {
            settledNow++;
          }
        } catch (RuntimeException e) {
          Log.warnf(e, "Settling the rotation deadline of %s failed; retrying later", agentId);
        }
      }
      settled += settledNow;
      if (due.size() < BATCH || settledNow == 0) {
        return settled;
      }
    }
  }

  private void checkSafely() {
    try {
      checkNow();
    } catch (RuntimeException e) {
      Log.warnf(e, "Rotation deadline check failed; retrying at the next one");
    }
  }
}
