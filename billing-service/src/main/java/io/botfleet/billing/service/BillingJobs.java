package io.botfleet.billing.service;

import io.botfleet.billing.config.BillingConfig;
import io.botfleet.billing.persistence.JobLock;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The background work, on every replica but done by one at a time (an advisory lock): refresh the
 * bot directory, book each closed day's cost-model accruals and GreenHelix API fees, send its
 * metrics, and retry pauses fleet-service has not accepted yet. Every step is idempotent and books
 * what is missing, so a run after downtime catches up.
 */
@ApplicationScoped
public class BillingJobs {

  @Inject BillingConfig config;
  @Inject JobLock lock;
  @Inject BotDirectory directory;
  @Inject CostAccrualService accruals;
  @Inject ApiFeeService apiFees;
  @Inject MetricsService metrics;
  @Inject BudgetPauseService pauses;

  /**
   * What one run did.
   *
   * @param accruedDays model-days booked
   * @param apiFeeDays service-days of API fees booked
   * @param metricDays days whose metrics were queued
   */
  public record Run(int accruedDays, int apiFeeDays, int metricDays) {}

  @Scheduled(
      every = "${botfleet.billing.jobs.interval:5m}",
      delayed = "30s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduledDaily() {
    if (!config.jobs().enabled()) {
      return;
    }
    lock.runExclusively("daily", () -> runDaily(closedThrough(Instant.now())));
  }

  @Scheduled(
      every = "${botfleet.billing.jobs.actions-interval:10s}",
      delayed = "10s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduledPauses() {
    if (config.jobs().enabled()) {
      pauses.runDue("");
    }
  }

  /** The last closed day: yesterday once today is {@code close-delay} old, else the day before. */
  public LocalDate closedThrough(Instant now) {
    return LocalDate.ofInstant(now.minus(config.jobs().closeDelay()), ZoneOffset.UTC).minusDays(1);
  }

  /** Books everything due up to {@code closedThrough}. Public for tests that drive the days. */
  public Run runDaily(LocalDate closedThrough) {
    directory.current();
    LocalDate from = closedThrough.minusDays(config.jobs().catchUpDays() - 1L);
    int accrued = accruals.accrue(closedThrough);
    int fees = apiFees.book(from, closedThrough);
    int sent = metrics.close(from, closedThrough);
    if (accrued + fees + sent > 0) {
      Log.infof(
          "Billing through %s: %d model-days accrued, %d service-days of API fees, %d days of"
              + " metrics",
          closedThrough, accrued, fees, sent);
    }
    return new Run(accrued, fees, sent);
  }
}
