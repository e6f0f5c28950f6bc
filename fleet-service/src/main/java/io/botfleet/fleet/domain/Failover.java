package io.botfleet.fleet.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A failover from a dead bot to its replacement.
 *
 * @param id its id
 * @param deadBotId the dead bot
 * @param replacementBotId the replacement
 * @param group their group
 * @param exchange the dead bot's exchange
 * @param reconcilePositions the replacement was told to reconcile positions first
 * @param automatic botfleet decided it by itself
 * @param commandId the assume_responsibility command
 * @param initiatedBy who
 * @param createdAt when
 */
public record Failover(
    UUID id,
    String deadBotId,
    String replacementBotId,
    String group,
    String exchange,
    boolean reconcilePositions,
    boolean automatic,
    UUID commandId,
    String initiatedBy,
    Instant createdAt) {}
