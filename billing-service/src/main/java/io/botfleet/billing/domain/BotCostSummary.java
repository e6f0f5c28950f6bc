package io.botfleet.billing.domain;

import java.math.BigDecimal;
import java.util.Map;

/**
 * A bot's costs over a period (the guide's fields).
 *
 * @param botId the bot
 * @param botName its name, or null if not known yet
 * @param byCategory every category, 0 where nothing was booked
 * @param total the total
 * @param budgetUsd the monthly budget in force for the period's month, or null
 * @param utilizationPct that month's spend against it, percent, 1 decimal, or null
 * @param period the period
 */
public record BotCostSummary(
    String botId,
    String botName,
    Map<CostCategory, BigDecimal> byCategory,
    BigDecimal total,
    BigDecimal budgetUsd,
    BigDecimal utilizationPct,
    Period period) {}
