package io.botfleet.sdk.command;

/**
 * {@code pause}: stop opening new positions until resumed. Open positions and orders stay as they
 * are unless the bot's own policy says otherwise.
 *
 * @param info id, sequence, times, raw payload
 * @param reason why, as the operator gave it
 */
public record PauseCommand(CommandInfo info, String reason) {}
