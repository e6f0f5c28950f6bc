package io.botfleet.health.service;

import io.botfleet.health.config.HealthConfig;
import io.botfleet.health.domain.SlaMeasurement.Span;
import io.botfleet.health.persistence.ObservationRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Records when health-service was not observing the fleet. Every replica refreshes one shared clock
 * every {@code sla.observer-refresh}; a refresh that finds it older than {@code
 * sla.observer-gap-after} means no replica ran since, and records that time as an observation gap
 * (under the clock's row lock: replicas starting together record it once). SLA counts bots neither
 * up nor down inside it, so a control-plane outage neither burns their error budgets nor makes
 * fleet-service pause them.
 */
@ApplicationScoped
public class ObserverClock {

  @Inject HealthConfig config;
  @Inject ObservationRepository observations;
  @Inject BotRegistry registry;

  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "health-observer");
            thread.setDaemon(true);
            return thread;
          });

  /** Records the gap since the last replica stopped (before anything is measured), then ticks. */
  void start() {
    Duration every = config.sla().observerRefresh();
    Duration gapAfter = config.sla().observerGapAfter();
    if (every.isNegative() || every.isZero() || gapAfter.compareTo(every.multipliedBy(2)) < 0) {
      throw new IllegalStateException(
          "botfleet.health.sla.observer-gap-after ("
              + gapAfter
              + ") must be at least twice botfleet.health.sla.observer-refresh ("
              + every
              + "), else a late refresh would be taken for an outage");
    }
    refreshSafely();
    worker.scheduleWithFixedDelay(
        this::refreshSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    worker.shutdownNow();
  }

  /**
   * Refreshes the clock at {@code now}; returns the gap it recorded, if it found one no other
   * replica had recorded. Public for tests.
   */
  public Optional<Span> refresh(Instant time) {
    Instant now = time.truncatedTo(ChronoUnit.MICROS); // what PostgreSQL keeps
    Optional<Span> recorded =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  Instant last = observations.lockClock(now);
                  Optional<Span> gap = Optional.empty();
                  if (Duration.between(last, now).compareTo(config.sla().observerGapAfter()) > 0
                      && observations.recordDowntime(last, now, registry.replicaId())) {
                    gap = Optional.of(new Span(last, now));
                  }
                  observations.advanceClock(now);
                  return gap;
                });
    recorded.ifPresent(
        gap ->
            Log.warnf(
                "health-service was not observing from %s to %s (%d s): SLA counts that time"
                    + " neither up nor down",
                gap.start(), gap.end(), Duration.between(gap.start(), gap.end()).toSeconds()));
    return recorded;
  }

  private void refreshSafely() {
    try {
      refresh(Instant.now());
    } catch (RuntimeException e) {
      // The database is away: heartbeats are not stored either; the next refresh that succeeds
      // records the whole time as a gap if it lasted long enough.
      Log.warnf("Observer clock refresh failed (%s); retrying", e.getMessage());
    }
  }
}
