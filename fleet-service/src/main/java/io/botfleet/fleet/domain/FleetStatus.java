package io.botfleet.fleet.domain;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The guide's fleet status: totals and counts per status, for the fleet and per group. Bots no
 * longer in the fleet (deregistered, revoked) are not counted.
 *
 * @param fleetManager the fleet manager's name, empty before InitFleet
 * @param totalBots bots in the fleet
 * @param statusCounts bots per status
 * @param groupCounts per group, bots per status
 * @param timestamp when taken
 */
public record FleetStatus(
    String fleetManager,
    int totalBots,
    Map<BotStatus, Integer> statusCounts,
    Map<String, Map<BotStatus, Integer>> groupCounts,
    Instant timestamp) {

  /**
   * One count: this many bots of a group have a status.
   *
   * @param group the group
   * @param status the status
   * @param bots how many
   */
  public record Count(String group, BotStatus status, int bots) {}

  /** Builds the status from counts per group and status. */
  public static FleetStatus of(String fleetManager, Iterable<Count> counts, Instant now) {
    Map<BotStatus, Integer> total = new EnumMap<>(BotStatus.class);
    Map<String, Map<BotStatus, Integer>> groups = new TreeMap<>();
    int bots = 0;
    for (Count count : counts) {
      if (!count.status().inFleet()) {
        continue;
      }
      bots += count.bots();
      total.merge(count.status(), count.bots(), Integer::sum);
      groups
          .computeIfAbsent(count.group(), g -> new EnumMap<>(BotStatus.class))
          .merge(count.status(), count.bots(), Integer::sum);
    }
    return new FleetStatus(fleetManager, bots, total, groups, now);
  }

  /** Bots of a status (0 if none). */
  public int count(BotStatus status) {
    return statusCounts.getOrDefault(status, 0);
  }
}
