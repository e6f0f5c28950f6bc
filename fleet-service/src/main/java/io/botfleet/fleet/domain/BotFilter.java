package io.botfleet.fleet.domain;

import java.util.Set;

/**
 * Filters of ListBots; empty strings and sets do not filter, and no status filter means the bots
 * still in the fleet.
 *
 * @param group group
 * @param exchange exchange
 * @param strategy strategy
 * @param version version
 * @param statuses statuses
 */
public record BotFilter(
    String group, String exchange, String strategy, String version, Set<BotStatus> statuses) {}
