package io.botfleet.sdk.command;

/**
 * {@code assume_responsibility}: failover. This bot (a standby) takes over the work of a dead bot
 * of its group.
 *
 * @param info id, sequence, times, raw payload
 * @param fromBot the dead bot's id
 * @param group its group
 * @param exchange its exchange
 * @param strategy its strategy
 * @param reason why, e.g. {@code failover_from_dead_bot}
 * @param reconcilePositions true for a stateful group (options market making): read the open
 *     positions from the exchange before trading
 */
public record AssumeResponsibilityCommand(
    CommandInfo info,
    String fromBot,
    String group,
    String exchange,
    String strategy,
    String reason,
    boolean reconcilePositions) {}
