package io.botfleet.health.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The guide's fleet health dashboard: counts per status, per group the same plus PnL and trades,
 * and the fleet's PnL (2 decimals) and trades.
 *
 * @param timestamp when it was made
 * @param totalBots tracked bots
 * @param statusSummary bots per status
 * @param groups per group
 * @param fleetPnlUsd sum of the bots' latest pnl_usd, 2 decimals
 * @param fleetTradeCount sum of the bots' latest trade_count
 * @param massSilence true while a mass silence suspends dead-bot detection
 */
public record Dashboard(
    Instant timestamp,
    int totalBots,
    Map<HealthStatus, Integer> statusSummary,
    Map<String, Group> groups,
    BigDecimal fleetPnlUsd,
    long fleetTradeCount,
    boolean massSilence) {

  /**
   * One group.
   *
   * @param totalBots bots in it
   * @param statusSummary per status
   * @param pnlUsd sum of latest pnl_usd, 2 decimals
   * @param tradeCount sum of latest trade_count
   */
  public record Group(
      int totalBots,
      Map<HealthStatus, Integer> statusSummary,
      BigDecimal pnlUsd,
      long tradeCount) {}

  /**
   * One row of input: the bots of a group with one status.
   *
   * @param group the group
   * @param status the status
   * @param bots how many
   * @param pnlUsd sum of their latest pnl_usd
   * @param tradeCount sum of their latest trade_count
   */
  public record Count(
      String group, HealthStatus status, int bots, BigDecimal pnlUsd, long tradeCount) {}

  /** Builds the dashboard. Money is summed exactly and rounded half-even to cents once. */
  public static Dashboard of(Iterable<Count> counts, Instant now, boolean massSilence) {
    Map<HealthStatus, Integer> fleet = new EnumMap<>(HealthStatus.class);
    Map<String, Map<HealthStatus, Integer>> statuses = new TreeMap<>();
    Map<String, BigDecimal> pnl = new TreeMap<>();
    Map<String, Long> trades = new TreeMap<>();
    int total = 0;
    BigDecimal fleetPnl = BigDecimal.ZERO;
    long fleetTrades = 0;
    for (Count c : counts) {
      total += c.bots();
      fleet.merge(c.status(), c.bots(), Integer::sum);
      statuses
          .computeIfAbsent(c.group(), g -> new EnumMap<>(HealthStatus.class))
          .merge(c.status(), c.bots(), Integer::sum);
      pnl.merge(c.group(), c.pnlUsd(), BigDecimal::add);
      trades.merge(c.group(), c.tradeCount(), Long::sum);
      fleetPnl = fleetPnl.add(c.pnlUsd());
      fleetTrades += c.tradeCount();
    }
    Map<String, Group> groups = new TreeMap<>();
    for (var entry : statuses.entrySet()) {
      int bots = entry.getValue().values().stream().mapToInt(Integer::intValue).sum();
      groups.put(
          entry.getKey(),
          new Group(
              bots, entry.getValue(), cents(pnl.get(entry.getKey())), trades.get(entry.getKey())));
    }
    return new Dashboard(now, total, fleet, groups, cents(fleetPnl), fleetTrades, massSilence);
  }

  private static BigDecimal cents(BigDecimal value) {
    return value.setScale(2, RoundingMode.HALF_EVEN);
  }
}
