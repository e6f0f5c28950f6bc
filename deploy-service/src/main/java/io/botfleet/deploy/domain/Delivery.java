package io.botfleet.deploy.domain;

import java.time.Instant;

/**
 * One bot's copy of a command.
 *
 * @param botId the bot
 * @param state where it stands
 * @param message the bot's message with its acknowledgement (why it rejected or failed)
 * @param updateTime when the state last changed (for an acknowledgement: when the bot sent it)
 */
public record Delivery(String botId, DeliveryState state, String message, Instant updateTime) {}
