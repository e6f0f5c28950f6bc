package io.botfleet.health.domain;

/**
 * Multi-window, multi-burn-rate alerts on the uptime error budget (Google SRE workbook, "Alerting
 * on SLOs", its recommended thresholds for a 30-day budget). Each tier needs both its long and its
 * short window over the threshold: the long window proves the burn is significant, the short one
 * that it is still going on (so the alert resolves soon after the bot recovers).
 */
public enum BurnRateAlert {
  /** Nothing burning fast. */
  NONE,
  /** 6 h and 30 min windows above 6 (5% of a 30-day budget in 6 hours): warning. */
  SLOW,
  /** 1 h and 5 min windows above 14.4 (2% of a 30-day budget in an hour): critical. */
  FAST;

  /** Fast-burn threshold (1 h and 5 min). */
  public static final double FAST_THRESHOLD = 14.4;

  /** Slow-burn threshold (6 h and 30 min). */
  public static final double SLOW_THRESHOLD = 6;

  /** The tier that the burn rates over 5 min, 30 min, 1 h and 6 h call for. */
  public static BurnRateAlert of(double rate5m, double rate30m, double rate1h, double rate6h) {
    if (rate1h > FAST_THRESHOLD && rate5m > FAST_THRESHOLD) {
      return FAST;
    }
    if (rate6h > SLOW_THRESHOLD && rate30m > SLOW_THRESHOLD) {
      return SLOW;
    }
    return NONE;
  }
}
