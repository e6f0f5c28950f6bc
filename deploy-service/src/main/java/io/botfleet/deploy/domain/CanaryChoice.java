package io.botfleet.deploy.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The guide's canary: the bot with the least to lose, i.e. the lowest PnL today, among the active
 * bots of the group. A bot without a PnL today goes after those with one (nothing says it has
 * little at stake); ties go by name, so the choice is repeatable.
 */
public final class CanaryChoice {

  private CanaryChoice() {}

  /** True if a bot may be a canary: trading now (not paused, dead, stopped or a standby). */
  public static boolean eligible(FleetBot bot) {
    return bot.status() == BotStatus.ACTIVE && !bot.standby();
  }

  /**
   * The order in which bots are updated: the {@code canaries} eligible bots with the lowest PnL
   * today first, then every other bot by name.
   *
   * @param bots the bots to update
   * @param pnlToday PnL today per bot id (bots without one are absent)
   * @param canaries how many canaries the plan takes
   * @throws IllegalArgumentException if fewer than {@code canaries} bots are eligible
   */
  public static List<FleetBot> order(
      List<FleetBot> bots, Map<String, BigDecimal> pnlToday, int canaries) {
    Comparator<FleetBot> leastToLose =
        Comparator.<FleetBot, Boolean>comparing(b -> !pnlToday.containsKey(b.id()))
            .thenComparing(b -> pnlToday.getOrDefault(b.id(), BigDecimal.ZERO))
            .thenComparing(FleetBot::name);
    List<FleetBot> candidates =
        bots.stream().filter(CanaryChoice::eligible).sorted(leastToLose).toList();
    if (candidates.size() < canaries) {
      throw new IllegalArgumentException(
          "the plan needs " + canaries + " active bot(s) as canary, found " + candidates.size());
    }
    List<FleetBot> ordered = new ArrayList<>(candidates.subList(0, canaries));
    bots.stream()
        .filter(b -> !ordered.contains(b))
        .sorted(Comparator.comparing(FleetBot::name))
        .forEach(ordered::add);
    return ordered;
  }
}
