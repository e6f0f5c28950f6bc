package io.botfleet.billing.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Set;

/**
 * A checked fill: its exchange fee is booked exactly, in USD, to the day it executed.
 *
 * @param fillId the exchange's fill id
 * @param exchange the exchange, lower case
 * @param pair the pair
 * @param side BUY or SELL
 * @param size quantity
 * @param price price
 * @param fee fee in its currency (negative: a maker rebate)
 * @param feeCurrency the fee's currency, upper case
 * @param feeUsd the fee in USD (given, or the fee itself for USD and USD stablecoins)
 * @param fillTime when it executed
 * @param realizedPnlUsd realized PnL, or null
 */
public record Fill(
    String fillId,
    String exchange,
    String pair,
    String side,
    BigDecimal size,
    BigDecimal price,
    BigDecimal fee,
    String feeCurrency,
    BigDecimal feeUsd,
    Instant fillTime,
    BigDecimal realizedPnlUsd) {

  /** Fee currencies taken 1:1 as USD when the bot gives no fee_usd. */
  public static final Set<String> USD_CURRENCIES = Set.of("USD", "USDT", "USDC", "BUSD");

  /** How far ahead of the server's clock a fill time may be (clock skew of the bot). */
  public static final Duration MAX_FUTURE = Duration.ofMinutes(5);

  /**
   * A fill the bot sent, or why it is refused.
   *
   * @param fill the checked fill, or null
   * @param field the field at fault, or null
   * @param problem what is wrong, or null
   */
  public record Check(Fill fill, String field, String problem) {
    static Check refused(String field, String problem) {
      return new Check(null, field, problem);
    }

    /** True if the fill is fit to book. */
    public boolean ok() {
      return fill != null;
    }
  }

  /** The day (UTC) its fee is booked to. */
  public LocalDate incurredDate() {
    return LocalDate.ofInstant(fillTime, ZoneOffset.UTC);
  }

  /** True if {@code other} is the same trade with the same fee (a true duplicate). */
  public boolean sameFeeAs(BigDecimal otherFeeUsd) {
    return feeUsd.compareTo(otherFeeUsd) == 0;
  }

  /** One line for the cost entry. */
  public String describe() {
    return side
        + " "
        + size.toPlainString()
        + " "
        + pair
        + " @ "
        + price.toPlainString()
        + " on "
        + exchange
        + ", fee "
        + fee.toPlainString()
        + " "
        + feeCurrency
        + " (fill "
        + fillId
        + ")";
  }

  /** Checks a fill; the first field at fault is named. */
  public static Check check(FillInput in, Instant now) {
    if (blank(in.fillId()) || in.fillId().length() > 128) {
      return Check.refused("fill_id", "is required, at most 128 characters");
    }
    if (blank(in.exchange()) || in.exchange().length() > 64) {
      return Check.refused("exchange", "is required, at most 64 characters");
    }
    if (blank(in.pair()) || in.pair().length() > 64) {
      return Check.refused("pair", "is required, at most 64 characters");
    }
    if (!in.side().equals("BUY") && !in.side().equals("SELL")) {
      return Check.refused("side", "is required: SIDE_BUY or SIDE_SELL");
    }
    BigDecimal size;
    BigDecimal price;
    BigDecimal fee;
    try {
      size = Decimals.positive(in.size());
    } catch (IllegalArgumentException e) {
      return Check.refused("size", e.getMessage());
    }
    try {
      price = Decimals.positive(in.price());
    } catch (IllegalArgumentException e) {
      return Check.refused("price", e.getMessage());
    }
    try {
      fee = Decimals.any(in.fee());
    } catch (IllegalArgumentException e) {
      return Check.refused("fee", e.getMessage());
    }
    if (blank(in.feeCurrency()) || !in.feeCurrency().trim().matches("[A-Za-z0-9]{1,16}")) {
      return Check.refused("fee_currency", "is required: 1 to 16 letters or digits, e.g. USDT");
    }
    String currency = in.feeCurrency().trim().toUpperCase(Locale.ROOT);
    BigDecimal feeUsd;
    if (!blank(in.feeUsd())) {
      try {
        feeUsd = Money.parse(in.feeUsd());
      } catch (IllegalArgumentException e) {
        return Check.refused("fee_usd", e.getMessage());
      }
      if (feeUsd.signum() != fee.signum()) {
        return Check.refused("fee_usd", "must have the sign of fee (" + in.fee() + ")");
      }
    } else if (USD_CURRENCIES.contains(currency)) {
      // A USD fee finer than the 8 places money keeps is rounded half-even, once, here.
      feeUsd = fee.setScale(Money.SCALE, RoundingMode.HALF_EVEN);
    } else {
      return Check.refused(
          "fee_usd", "is required when fee_currency is " + currency + " (not USD or a stablecoin)");
    }
    if (in.fillTime() == null) {
      return Check.refused("fill_time", "is required");
    }
    if (in.fillTime().isAfter(now.plus(MAX_FUTURE))) {
      return Check.refused("fill_time", "is in the future (server time " + now + ")");
    }
    BigDecimal pnl = null;
    if (!blank(in.realizedPnlUsd())) {
      try {
        pnl = Money.parse(in.realizedPnlUsd());
      } catch (IllegalArgumentException e) {
        return Check.refused("realized_pnl_usd", e.getMessage());
      }
    }
    return new Check(
        new Fill(
            in.fillId(),
            in.exchange().trim().toLowerCase(Locale.ROOT),
            in.pair().trim(),
            in.side(),
            size,
            price,
            fee,
            currency,
            feeUsd,
            in.fillTime(),
            pnl),
        null,
        null);
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
