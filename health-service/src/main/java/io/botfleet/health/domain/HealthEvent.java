package io.botfleet.health.domain;

import java.time.Instant;
import java.util.List;

/**
 * Something that happened to a bot's health (or the fleet's), before it is stored with its
 * sequence.
 *
 * @param type the kind
 * @param botId the bot (null for fleet-level events)
 * @param botName its name
 * @param group its group
 * @param previousStatus status before (null if not a status event)
 * @param status status now (null if not a status event)
 * @param issues guide issue strings
 * @param version the version the bot reports, if known
 * @param message one line for humans
 * @param time when it happened
 * @param lastHeartbeatAt the bot's last heartbeat (dead and recovered events)
 * @param alert the alert (ALERT_* events)
 * @param facts the guide's payload fields of the audit event this event is recorded as
 */
public record HealthEvent(
    HealthEventType type,
    String botId,
    String botName,
    String group,
    HealthStatus previousStatus,
    HealthStatus status,
    List<String> issues,
    String version,
    String message,
    Instant time,
    Instant lastHeartbeatAt,
    Alert alert,
    java.util.Map<String, Object> facts) {}
