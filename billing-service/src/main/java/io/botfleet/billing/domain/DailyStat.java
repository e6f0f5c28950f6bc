package io.botfleet.billing.domain;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One bot's day as health-service reports it.
 *
 * @param botId the bot
 * @param date the day (UTC)
 * @param pnlUsd the day's last reported PnL
 * @param tradeCount the day's last reported trade count
 */
public record DailyStat(String botId, LocalDate date, BigDecimal pnlUsd, long tradeCount) {}
