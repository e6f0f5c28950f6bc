package io.botfleet.health.domain;

/**
 * One issue found by evaluation.
 *
 * @param code the guide's name, e.g. {@code high_drawdown}
 * @param critical true for a high issue, false for an elevated one
 * @param value the measured value
 * @param threshold the threshold it crossed
 * @param text the guide's text form, e.g. {@code high_drawdown:12.0%}
 */
public record HealthIssue(
    String code, boolean critical, double value, double threshold, String text) {}
