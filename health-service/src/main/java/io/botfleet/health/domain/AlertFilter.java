package io.botfleet.health.domain;

import java.time.Instant;

/**
 * Filters of an alert listing; null fields do not filter.
 *
 * @param botId only this bot
 * @param group only this group
 * @param severity only this severity
 * @param open only open (true) or resolved (false) alerts
 * @param from raised at or after
 * @param to raised before
 */
public record AlertFilter(
    String botId, String group, AlertSeverity severity, Boolean open, Instant from, Instant to) {}
