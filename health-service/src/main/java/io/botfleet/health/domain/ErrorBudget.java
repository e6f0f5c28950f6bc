package io.botfleet.health.domain;

import java.time.Duration;

/**
 * The uptime error budget over a window (SRE method): the downtime the target allows, what was
 * spent, and how fast it is burning now.
 *
 * @param allowed downtime the target allows over the measured span
 * @param consumed downtime spent
 * @param remainingPct share of the budget left, percent (negative when overspent)
 * @param burnRate1h burn rate over the last hour (1.0 spends exactly the budget)
 * @param burnRate6h burn rate over the last 6 hours
 */
public record ErrorBudget(
    Duration allowed,
    Duration consumed,
    double remainingPct,
    double burnRate1h,
    double burnRate6h) {

  /** The budget of a measurement against an uptime target, with the recent burn rates. */
  public static ErrorBudget of(
      double uptimeTargetPct, SlaMeasurement measured, double burnRate1h, double burnRate6h) {
    double allowedShare = (100 - uptimeTargetPct) / 100;
    Duration allowed = Duration.ofMillis(Math.round(measured.span().toMillis() * allowedShare));
    double remaining =
        allowed.isZero()
            ? (measured.downtime().isZero() ? 100 : -100)
            : 100.0 * (allowed.toMillis() - measured.downtime().toMillis()) / allowed.toMillis();
    return new ErrorBudget(allowed, measured.downtime(), remaining, burnRate1h, burnRate6h);
  }

  /**
   * The burn rate of a downtime over a span: the share of the span down, over the share the target
   * allows (0 for an empty span).
   */
  public static double burnRate(double uptimeTargetPct, Duration downtime, Duration span) {
    if (span.isZero()) {
      return 0;
    }
    double downShare = (double) downtime.toMillis() / span.toMillis();
    return downShare / ((100 - uptimeTargetPct) / 100);
  }
}
