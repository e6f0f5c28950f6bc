package io.botfleet.health.domain;

/**
 * One metric against its target.
 *
 * @param metric "uptime_pct", "max_drawdown_pct", "min_trades_per_day" or "max_latency_ms"
 * @param target the target
 * @param actual the measured value
 * @param severity severity
 * @param message one line for the operator
 */
public record SlaFinding(
    String metric, double target, double actual, SlaSeverity severity, String message) {}
