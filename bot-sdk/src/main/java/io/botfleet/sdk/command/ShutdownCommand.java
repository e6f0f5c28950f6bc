package io.botfleet.sdk.command;

import java.time.Duration;

/**
 * {@code shutdown}: the bot is being deregistered. Wind down within the grace period (flatten, stop
 * the trading loop); its identity is revoked after the grace period or the acknowledgement,
 * whichever comes first. The client closes itself after acknowledging DONE (a bot that fails or
 * refuses stays connected, so that it can still be stopped).
 *
 * @param info id, sequence, times, raw payload
 * @param reason why, e.g. {@code deregistered_from_fleet}
 * @param gracePeriod how long the bot has (the guide's default is 30 s)
 */
public record ShutdownCommand(CommandInfo info, String reason, Duration gracePeriod) {}
