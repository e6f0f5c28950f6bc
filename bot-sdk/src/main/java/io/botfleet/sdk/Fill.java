package io.botfleet.sdk;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One trade execution, reported to billing-service so that exchange fees are booked per bot and per
 * trade. Amounts are exact decimals.
 *
 * @param fillId the exchange's fill (trade) id; a fill already booked for the bot is ignored, so a
 *     retry never books a fee twice
 * @param exchange the exchange, e.g. {@code binance}
 * @param pair the pair or instrument, e.g. {@code BTC/USDT}
 * @param side buy or sell
 * @param size quantity in the base asset, positive
 * @param price price in the quote asset, positive
 * @param fee fee charged in {@code feeCurrency} (negative for a maker rebate)
 * @param feeCurrency the fee's currency, e.g. {@code USDT}, {@code BNB}
 * @param feeUsd the fee in USD; null when {@code feeCurrency} is USD, USDT, USDC or BUSD
 * @param fillTime when the trade executed
 * @param realizedPnlUsd realized PnL of the fill in USD, or null if the bot does not know it
 */
public record Fill(
    String fillId,
    String exchange,
    String pair,
    Side side,
    BigDecimal size,
    BigDecimal price,
    BigDecimal fee,
    String feeCurrency,
    BigDecimal feeUsd,
    Instant fillTime,
    BigDecimal realizedPnlUsd) {

  /** Side of a fill. */
  public enum Side {
    /** Bought. */
    BUY,
    /** Sold. */
    SELL
  }

  /** Checks the required fields; billing-service checks the values. */
  public Fill {
    Objects.requireNonNull(fillId, "fillId");
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(pair, "pair");
    Objects.requireNonNull(side, "side");
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(price, "price");
    Objects.requireNonNull(fee, "fee");
    Objects.requireNonNull(feeCurrency, "feeCurrency");
    Objects.requireNonNull(fillTime, "fillTime");
  }
}
