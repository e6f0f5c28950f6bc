package io.botfleet.health.domain;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One bot's UTC day.
 *
 * @param botId the bot
 * @param date the day
 * @param pnlUsd the day's last reported pnl_usd
 * @param tradeCount the day's last reported trade_count
 * @param errorCount sum of error_count over the day
 * @param uptimePct minutes with a heartbeat, percent of the minutes the bot was tracked that day
 * @param maxDrawdownPct largest drawdown_pct of the day
 */
public record DailyStat(
    String botId,
    LocalDate date,
    BigDecimal pnlUsd,
    long tradeCount,
    long errorCount,
    double uptimePct,
    double maxDrawdownPct) {}
