package io.botfleet.health.persistence;

import io.botfleet.health.domain.HealthStatus;
import io.botfleet.health.domain.Heartbeat;
import java.time.Instant;
import java.util.List;

/**
 * A raw heartbeat row.
 *
 * @param botId the bot
 * @param receivedAt when health-service received it
 * @param heartbeat the heartbeat
 * @param status what it evaluated to
 * @param issues the guide strings of its issues
 */
public record HeartbeatRow(
    String botId,
    Instant receivedAt,
    Heartbeat heartbeat,
    HealthStatus status,
    List<String> issues) {}
