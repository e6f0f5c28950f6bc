package io.botfleet.sdk.command;

/**
 * {@code resume}: a paused bot may open positions again.
 *
 * @param info id, sequence, times, raw payload
 * @param reason why, if given (may be empty)
 */
public record ResumeCommand(CommandInfo info, String reason) {}
