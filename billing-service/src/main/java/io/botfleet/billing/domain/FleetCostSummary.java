package io.botfleet.billing.domain;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The fleet's costs over a period, with the breakdowns the guide promised.
 *
 * @param total the total
 * @param byBot per bot, most expensive first
 * @param byCategory every category, 0 where nothing was booked
 * @param byGroup per group ("(unknown)" while fleet-service has not named a bot's group)
 * @param byStrategy per strategy
 * @param byExchange per exchange (a fill's own exchange, else the bot's)
 * @param period the period
 */
public record FleetCostSummary(
    BigDecimal total,
    List<BotTotal> byBot,
    Map<CostCategory, BigDecimal> byCategory,
    Map<String, BigDecimal> byGroup,
    Map<String, BigDecimal> byStrategy,
    Map<String, BigDecimal> byExchange,
    Period period) {

  /**
   * One bot's total.
   *
   * @param botId the bot
   * @param botName its name, or null
   * @param total its total
   */
  public record BotTotal(String botId, String botName, BigDecimal total) {}

  /** Label of a group, strategy or exchange that is not known (yet). */
  public static final String UNKNOWN = "(unknown)";

  /** Label of the group, strategy and exchange of fleet-level costs no bot carries. */
  public static final String FLEET = "(fleet)";
}
