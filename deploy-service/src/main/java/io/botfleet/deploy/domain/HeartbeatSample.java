package io.botfleet.deploy.domain;

import java.time.Instant;

/**
 * One point of a bot's heartbeat history (a heartbeat, or a downsampled bucket of them).
 *
 * @param time when
 * @param samples heartbeats it stands for
 * @param version the version reported
 * @param errorCount errors over those heartbeats (sum)
 * @param latencyMs heartbeat latency (the bucket's maximum when downsampled)
 * @param drawdownPct drawdown (the bucket's maximum when downsampled)
 * @param status the worst status in the bucket
 */
public record HeartbeatSample(
    Instant time,
    int samples,
    String version,
    long errorCount,
    double latencyMs,
    double drawdownPct,
    HealthStatus status) {}
