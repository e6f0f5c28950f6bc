package io.botfleet.health.domain;

import io.botfleet.common.error.Violations;
import java.time.Duration;
import java.util.Optional;

/**
 * Thresholds of evaluation and dead-bot detection, for the fleet (group "") or one group. An empty
 * field inherits: a group's from the fleet policy, the fleet's from the guide's defaults.
 *
 * @param group the group, "" for the fleet
 * @param heartbeatInterval expected heartbeat interval (guide: 30 s)
 * @param deadAfter silence after which a bot is dead (guide: 120 s)
 * @param drawdownWarningPct drawdown above this is elevated (guide: 5)
 * @param drawdownCriticalPct drawdown above this is high (guide: 10)
 * @param latencyWarningMs latency above this is elevated (guide: 1000)
 * @param latencyCriticalMs latency above this is high (guide: 5000)
 * @param errorsWarning errors per heartbeat above this are elevated (guide: 3)
 * @param errorsCritical errors per heartbeat above this are high (guide: 10)
 * @param memoryCriticalMb memory above this is high (guide: 2048)
 */
public record HealthPolicy(
    String group,
    Optional<Duration> heartbeatInterval,
    Optional<Duration> deadAfter,
    Optional<Double> drawdownWarningPct,
    Optional<Double> drawdownCriticalPct,
    Optional<Double> latencyWarningMs,
    Optional<Double> latencyCriticalMs,
    Optional<Long> errorsWarning,
    Optional<Long> errorsCritical,
    Optional<Double> memoryCriticalMb) {

  /** The guide's thresholds (chapter 5). */
  public static final HealthPolicy GUIDE_DEFAULTS =
      new HealthPolicy(
          "",
          Optional.of(Duration.ofSeconds(30)),
          Optional.of(Duration.ofSeconds(120)),
          Optional.of(5.0),
          Optional.of(10.0),
          Optional.of(1000.0),
          Optional.of(5000.0),
          Optional.of(3L),
          Optional.of(10L),
          Optional.of(2048.0));

  /** This policy with every empty field taken from {@code base}. */
  public HealthPolicy over(HealthPolicy base) {
    return new HealthPolicy(
        group,
        heartbeatInterval.or(base::heartbeatInterval),
        deadAfter.or(base::deadAfter),
        drawdownWarningPct.or(base::drawdownWarningPct),
        drawdownCriticalPct.or(base::drawdownCriticalPct),
        latencyWarningMs.or(base::latencyWarningMs),
        latencyCriticalMs.or(base::latencyCriticalMs),
        errorsWarning.or(base::errorsWarning),
        errorsCritical.or(base::errorsCritical),
        memoryCriticalMb.or(base::memoryCriticalMb));
  }

  /**
   * Throws INVALID_ARGUMENT naming every field out of range. Checked on the effective policy, so a
   * group cannot set a warning above the critical level it inherits.
   */
  public void check() {
    Violations violations = new Violations();
    heartbeatInterval.ifPresent(
        d ->
            violations.require(
                !d.isNegative()
                    && d.compareTo(Duration.ofSeconds(1)) >= 0
                    && d.compareTo(Duration.ofHours(1)) <= 0,
                "policy.heartbeat_interval",
                "must be between 1 s and 1 hour"));
    boolean deadAfterInRange =
        deadAfter
            .map(
                d ->
                    d.compareTo(Duration.ofSeconds(10)) >= 0
                        && d.compareTo(Duration.ofHours(1)) <= 0)
            .orElse(true);
    violations.require(deadAfterInRange, "policy.dead_after", "must be between 10 s and 1 hour");
    if (deadAfterInRange && heartbeatInterval.isPresent() && deadAfter.isPresent()) {
      violations.require(
          deadAfter.get().compareTo(heartbeatInterval.get()) > 0,
          "policy.dead_after",
          "must be longer than heartbeat_interval");
    }
    positive(violations, drawdownWarningPct, "policy.drawdown_warning_pct", 100);
    positive(violations, drawdownCriticalPct, "policy.drawdown_critical_pct", 100);
    positive(violations, latencyWarningMs, "policy.latency_warning_ms", 600_000);
    positive(violations, latencyCriticalMs, "policy.latency_critical_ms", 600_000);
    positive(violations, memoryCriticalMb, "policy.memory_critical_mb", 1_048_576);
    errorsWarning.ifPresent(
        v -> violations.require(v >= 0, "policy.errors_warning", "must be >= 0"));
    errorsCritical.ifPresent(
        v -> violations.require(v >= 0, "policy.errors_critical", "must be >= 0"));
    ordered(violations, drawdownWarningPct, drawdownCriticalPct, "policy.drawdown_warning_pct");
    ordered(violations, latencyWarningMs, latencyCriticalMs, "policy.latency_warning_ms");
    ordered(
        violations,
        errorsWarning.map(Long::doubleValue),
        errorsCritical.map(Long::doubleValue),
        "policy.errors_warning");
    violations.throwIfAny();
  }

  private static void positive(
      Violations violations, Optional<Double> value, String field, double max) {
    value.ifPresent(
        v ->
            violations.require(
                Double.isFinite(v) && v > 0 && v <= max,
                field,
                "must be above 0 and at most " + max));
  }

  private static void ordered(
      Violations violations, Optional<Double> warning, Optional<Double> critical, String field) {
    if (warning.isPresent() && critical.isPresent()) {
      violations.require(
          warning.get() < critical.get(),
          field,
          "must be below the critical threshold " + critical.get());
    }
  }
}
