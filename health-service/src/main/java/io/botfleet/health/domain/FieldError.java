package io.botfleet.health.domain;

/**
 * A field of a malformed heartbeat and what is wrong with it.
 *
 * @param field the field, e.g. {@code drawdown_pct} or {@code custom_metrics[spread_bps]}
 * @param description what is wrong, e.g. "must be between 0 and 100, got 140.0"
 */
public record FieldError(String field, String description) {}
