package io.botfleet.fleet.service;

import io.botfleet.fleet.config.FleetConfig;
import io.botfleet.fleet.persistence.ConnectionRepository;
import io.botfleet.fleet.persistence.TaskRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The periodic work of every replica, each part safe to run on several at once: this replica's
 * liveness, deregistrations whose grace period ended, queued calls to retry, commands to mirror to
 * GreenHelix, registrations nobody finished, commands past their retention.
 */
@ApplicationScoped
public class Housekeeping {

  @Inject ConnectionRepository connections;
  @Inject TaskRepository taskRows;
  @Inject TaskQueue tasks;
  @Inject BotLifecycleService lifecycle;
  @Inject BotRegistrationService registrations;
  @Inject CommandMirror mirror;
  @Inject CommandRetention retention;
  @Inject Replica replica;
  @Inject FleetConfig config;

  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(CommandDispatcher.daemon("fleet-housekeeping"));
  private Instant nextSlowPass = Instant.EPOCH;

  void start(@Observes StartupEvent event) {
    retention.check();
    QuarkusTransaction.requiringNew().run(() -> connections.heartbeat(replica.id()));
    long every = config.sweepInterval().toMillis();
    worker.scheduleWithFixedDelay(this::pass, every, every, TimeUnit.MILLISECONDS);
    worker.scheduleWithFixedDelay(this::earlyDeregistrations, 100, 100, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    worker.shutdownNow();
    try {
      QuarkusTransaction.requiringNew().run(() -> connections.leave(replica.id()));
    } catch (RuntimeException e) {
      Log.debugf("Could not leave cleanly: %s", e.getMessage());
    }
  }

  /** One pass; public so tests can run it at once. */
  public void pass() {
    step(
        "replica heartbeat",
        () -> QuarkusTransaction.requiringNew().run(() -> connections.heartbeat(replica.id())));
    step("deregistrations", lifecycle::finishDueDeregistrations);
    step("queued calls", tasks::drainAll);
    step("GreenHelix mirror", mirror::mirrorPending);
    if (Instant.now().isAfter(nextSlowPass)) {
      nextSlowPass = Instant.now().plusSeconds(60);
      step(
          "dead replicas",
          () -> QuarkusTransaction.requiringNew().call(() -> connections.forgetDeadReplicas()));
      step(
          "abandoned registrations",
          () -> registrations.undoAbandoned(config.abandonedRegistration()));
      step("old calls", () -> QuarkusTransaction.requiringNew().call(() -> taskRows.purge()));
    }
    // Every 10 minutes, and at each pass while a backlog is worked off (a few seconds at most).
    step("command retention", retention::runIfDue);
  }

  private void earlyDeregistrations() {
    if (lifecycle.takeFinishSoon()) {
      step("deregistrations", lifecycle::finishDueDeregistrations);
    }
  }

  private static void step(String name, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      Log.warnf(e, "Housekeeping (%s) failed; retried at the next pass", name);
    }
  }
}
