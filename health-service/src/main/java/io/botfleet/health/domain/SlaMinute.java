package io.botfleet.health.domain;

import java.time.Instant;

/**
 * One minute of a bot's heartbeats, as SLA needs it (a minute rollup, or the raw heartbeats of a
 * minute not rolled up yet).
 *
 * @param minute the minute
 * @param firstAt its first heartbeat's receive time
 * @param lastAt its last heartbeat's receive time
 * @param latencyBuckets heartbeats per latency bucket (bounds {@link SlaMeasurement#LATENCY_BOUNDS}
 *     and one bucket above the last)
 * @param latencyMax largest latency, ms
 * @param drawdownMax largest drawdown, percent
 * @param tradeCount the minute's last trade_count (trades since the start of the day)
 */
public record SlaMinute(
    Instant minute,
    Instant firstAt,
    Instant lastAt,
    int[] latencyBuckets,
    double latencyMax,
    double drawdownMax,
    long tradeCount) {}
