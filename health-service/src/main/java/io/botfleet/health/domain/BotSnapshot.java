package io.botfleet.health.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A bot's state at one moment, as the current-state table holds it.
 *
 * @param botId the bot
 * @param status its status
 * @param issues its issues
 * @param statusSince since when it has this status
 * @param lastHeartbeatAt when its last heartbeat was received (null if never)
 * @param deadSince since when it is dead (null unless dead)
 * @param openAlertId its open alert (health or dead), if any
 * @param latest its latest heartbeat (null if none)
 */
public record BotSnapshot(
    String botId,
    HealthStatus status,
    List<HealthIssue> issues,
    Instant statusSince,
    Instant lastHeartbeatAt,
    Instant deadSince,
    UUID openAlertId,
    Heartbeat latest) {}
