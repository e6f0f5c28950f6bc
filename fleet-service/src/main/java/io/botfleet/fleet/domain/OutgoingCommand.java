package io.botfleet.fleet.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A command on its way to one bot's stream.
 *
 * @param commandId the command
 * @param sequence the bot's sequence number for it
 * @param type the command name
 * @param payload the payload (one instance shared by every bot of the command)
 * @param expiresAt the bot must not act on it after this
 * @param issuedAt when it was issued
 * @param priority an emergency stop, ahead of anything queued
 */
public record OutgoingCommand(
    UUID commandId,
    long sequence,
    String type,
    Map<String, Object> payload,
    Instant expiresAt,
    Instant issuedAt,
    boolean priority) {}
