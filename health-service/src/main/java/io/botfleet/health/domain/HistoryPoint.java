package io.botfleet.health.domain;

import java.time.Instant;

/**
 * One point of a heartbeat history: a heartbeat, or a bucket of them when downsampled (gauges the
 * bucket's mean, drawdown and latency its maximum, trade_count the last value, error_count the sum,
 * the status the worst).
 *
 * @param time the heartbeat's receive time, or the bucket's start
 * @param samples heartbeats in it
 * @param heartbeat the values
 * @param status the (worst) status
 */
public record HistoryPoint(Instant time, int samples, Heartbeat heartbeat, HealthStatus status) {}
