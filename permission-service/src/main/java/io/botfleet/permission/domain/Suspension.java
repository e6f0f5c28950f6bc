package io.botfleet.permission.domain;

import java.time.Instant;

/**
 * A pause or an emergency stop in force on a bot.
 *
 * @param mode paused or stopped
 * @param reason why
 * @param suspendedBy agent id of who suspended it
 * @param suspendedAt when
 * @param commandId the fleet command it belongs to, or null
 */
public record Suspension(
    SuspensionMode mode,
    String reason,
    String suspendedBy,
    Instant suspendedAt,
    String commandId) {}
