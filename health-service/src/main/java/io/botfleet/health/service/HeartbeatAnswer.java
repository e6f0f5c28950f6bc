package io.botfleet.health.service;

import io.botfleet.health.domain.FieldError;
import io.botfleet.health.domain.HealthIssue;
import io.botfleet.health.domain.HealthStatus;
import java.time.Instant;
import java.util.List;

/**
 * The answer to one heartbeat.
 *
 * @param sequence the heartbeat's sequence
 * @param accepted true if stored and evaluated (or a resend of one that was)
 * @param status the bot's status
 * @param issues its issues
 * @param errors why it was refused
 * @param deadline when the next heartbeat is due at the latest
 */
public record HeartbeatAnswer(
    long sequence,
    boolean accepted,
    HealthStatus status,
    List<HealthIssue> issues,
    List<FieldError> errors,
    Instant deadline) {}
