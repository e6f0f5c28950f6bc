package io.botfleet.fleet.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One bot's copy of a command.
 *
 * @param commandId the command
 * @param botId the bot
 * @param botName the bot's name
 * @param sequence the bot's sequence number for it
 * @param state where it stands
 * @param message the bot's message, or why it was cancelled
 * @param sentAt when it was sent, or null
 * @param updatedAt when the state last changed
 */
public record Delivery(
    UUID commandId,
    String botId,
    String botName,
    long sequence,
    DeliveryState state,
    String message,
    Instant sentAt,
    Instant updatedAt) {}
