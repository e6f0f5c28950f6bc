package io.botfleet.health.domain;

import io.botfleet.common.error.Violations;
import java.util.Map;

/**
 * SLA targets of a bot or a group (chapter 7 of the guide).
 *
 * @param uptimePct share of the window the bot must be alive, percent
 * @param maxDrawdownPct largest drawdown allowed, percent
 * @param minTradesPerDay fewest trades per day
 * @param maxLatencyMs largest p99 heartbeat latency, milliseconds
 */
public record SlaTargets(
    double uptimePct, double maxDrawdownPct, long minTradesPerDay, double maxLatencyMs) {

  /** The guide's defaults. */
  public static final SlaTargets GUIDE_DEFAULTS = new SlaTargets(99.5, 5.0, 10, 500);

  /** The guide's example targets per group; a field left empty for these groups takes them. */
  public static final Map<String, SlaTargets> GUIDE_GROUP_EXAMPLES =
      Map.of(
          "spot-arb", new SlaTargets(99.5, 3.0, 50, 200),
          "perp-momentum", new SlaTargets(99.0, 8.0, 10, 500),
          "options-mm", new SlaTargets(99.9, 5.0, 100, 100));

  /** The defaults for a group: its guide example if it has one, else the guide's defaults. */
  public static SlaTargets defaultsFor(String group) {
    return GUIDE_GROUP_EXAMPLES.getOrDefault(group == null ? "" : group, GUIDE_DEFAULTS);
  }

  /** These targets with every field left at 0 (unset) taken from {@code base}. */
  public SlaTargets over(SlaTargets base) {
    return new SlaTargets(
        uptimePct == 0 ? base.uptimePct : uptimePct,
        maxDrawdownPct == 0 ? base.maxDrawdownPct : maxDrawdownPct,
        minTradesPerDay == 0 ? base.minTradesPerDay : minTradesPerDay,
        maxLatencyMs == 0 ? base.maxLatencyMs : maxLatencyMs);
  }

  /** Checks every field, naming each bad one under {@code prefix}. */
  public void check(String prefix, Violations violations) {
    violations.require(
        Double.isFinite(uptimePct) && uptimePct > 0 && uptimePct < 100,
        prefix + "uptime_pct",
        "must be above 0 and below 100 (0 takes the default), got " + uptimePct);
    violations.require(
        Double.isFinite(maxDrawdownPct) && maxDrawdownPct > 0 && maxDrawdownPct <= 100,
        prefix + "max_drawdown_pct",
        "must be above 0 and at most 100 (0 takes the default), got " + maxDrawdownPct);
    violations.require(
        minTradesPerDay > 0 && minTradesPerDay <= 10_000_000,
        prefix + "min_trades_per_day",
        "must be between 1 and 10000000 (0 takes the default), got " + minTradesPerDay);
    violations.require(
        Double.isFinite(maxLatencyMs) && maxLatencyMs > 0 && maxLatencyMs <= 600_000,
        prefix + "max_latency_ms",
        "must be above 0 and at most 600000 (0 takes the default), got " + maxLatencyMs);
  }
}
