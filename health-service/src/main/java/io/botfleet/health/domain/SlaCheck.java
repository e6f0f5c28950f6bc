package io.botfleet.health.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The guide's compliance rules (chapter 7), with a critical tier: uptime below target is a
 * violation and within 0.5 points above it a warning; drawdown above target a violation and above
 * 0.8 × target a warning; trades below the minimum a violation (never critical: pausing a bot
 * because it trades too little would only make it trade less); p99 latency above target a
 * violation. A miss beyond {@code criticalFactor} × the limit is critical (for uptime: downtime
 * beyond the factor × the downtime the target allows), on which fleet-service pauses the bot.
 * Uptime is not judged when nothing of the window was observed.
 *
 * @param status compliant or violation
 * @param violations targets missed (severity violation or critical)
 * @param warnings targets approached
 */
public record SlaCheck(Status status, List<SlaFinding> violations, List<SlaFinding> warnings) {

  /** Overall outcome. */
  public enum Status {
    /** Every target met. */
    COMPLIANT,
    /** At least one target missed. */
    VIOLATION,
    /** No targets apply to the bot. */
    NO_SLA_DEFINED
  }

  /** Uptime within this many points above its target is a warning (guide). */
  public static final double UPTIME_WARNING_BAND = 0.5;

  /** Drawdown above this share of its target is a warning (guide). */
  public static final double DRAWDOWN_WARNING_SHARE = 0.8;

  /** No targets: nothing to check. */
  public static final SlaCheck NO_SLA = new SlaCheck(Status.NO_SLA_DEFINED, List.of(), List.of());

  /** Checks a measurement against targets. */
  public static SlaCheck of(SlaTargets t, SlaMeasurement m, double criticalFactor) {
    List<SlaFinding> violations = new ArrayList<>();
    List<SlaFinding> warnings = new ArrayList<>();
    double uptime = m.uptimePct();
    // Nothing of the window observed (health-service down, a mass silence): no uptime finding,
    // neither a breach nor a warning.
    boolean measured = m.uptimeMeasured();
    if (measured && uptime < t.uptimePct()) {
      boolean critical = 100 - uptime > criticalFactor * (100 - t.uptimePct());
      violations.add(
          finding(
              "uptime_pct",
              t.uptimePct(),
              uptime,
              critical ? SlaSeverity.CRITICAL : SlaSeverity.VIOLATION,
              "uptime %s%% below the target %s%%"));
    } else if (measured && uptime < t.uptimePct() + UPTIME_WARNING_BAND) {
      warnings.add(
          finding(
              "uptime_pct",
              t.uptimePct(),
              uptime,
              SlaSeverity.WARNING,
              "uptime %s%% within 0.5 points of the target %s%%"));
    }
    double drawdown = m.maxDrawdownPct();
    if (drawdown > t.maxDrawdownPct()) {
      boolean critical = drawdown > criticalFactor * t.maxDrawdownPct();
      violations.add(
          finding(
              "max_drawdown_pct",
              t.maxDrawdownPct(),
              drawdown,
              critical ? SlaSeverity.CRITICAL : SlaSeverity.VIOLATION,
              "drawdown %s%% above the limit %s%%"));
    } else if (drawdown > DRAWDOWN_WARNING_SHARE * t.maxDrawdownPct()) {
      warnings.add(
          finding(
              "max_drawdown_pct",
              t.maxDrawdownPct(),
              drawdown,
              SlaSeverity.WARNING,
              "drawdown %s%% above 80%% of the limit %s%%"));
    }
    if (m.tradesPerDay().isPresent() && m.tradesPerDay().getAsDouble() < t.minTradesPerDay()) {
      violations.add(
          finding(
              "min_trades_per_day",
              t.minTradesPerDay(),
              m.tradesPerDay().getAsDouble(),
              SlaSeverity.VIOLATION,
              "%s trades per day below the minimum %s"));
    }
    if (m.p99LatencyMs().isPresent() && m.p99LatencyMs().getAsDouble() > t.maxLatencyMs()) {
      double p99 = m.p99LatencyMs().getAsDouble();
      violations.add(
          finding(
              "max_latency_ms",
              t.maxLatencyMs(),
              p99,
              p99 > criticalFactor * t.maxLatencyMs()
                  ? SlaSeverity.CRITICAL
                  : SlaSeverity.VIOLATION,
              "p99 latency %s ms above the limit %s ms"));
    }
    return new SlaCheck(
        violations.isEmpty() ? Status.COMPLIANT : Status.VIOLATION,
        List.copyOf(violations),
        List.copyOf(warnings));
  }

  /** The highest severity found (null if nothing was found). */
  public SlaSeverity level() {
    SlaSeverity level = warnings.isEmpty() ? null : SlaSeverity.WARNING;
    for (SlaFinding f : violations) {
      if (level == null || f.severity().compareTo(level) > 0) {
        level = f.severity();
      }
    }
    return level;
  }

  /** The findings as one line each, violations first. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    violations.forEach(f -> lines.add(f.message()));
    warnings.forEach(f -> lines.add(f.message()));
    return lines;
  }

  /** A value rounded for display: 2 decimals, trailing zeros dropped. */
  public static String shown(double value) {
    return BigDecimal.valueOf(value)
        .setScale(2, RoundingMode.HALF_EVEN)
        .stripTrailingZeros()
        .toPlainString();
  }

  private static SlaFinding finding(
      String metric, double target, double actual, SlaSeverity severity, String format) {
    String message =
        metric
            + ": "
            + format.formatted(shown(actual), shown(target))
            + (severity == SlaSeverity.CRITICAL ? " (critical)" : "");
    return new SlaFinding(metric, target, actual, severity, message);
  }
}
