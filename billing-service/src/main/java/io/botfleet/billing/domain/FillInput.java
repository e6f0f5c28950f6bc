package io.botfleet.billing.domain;

import java.time.Instant;

/**
 * A fill as a bot sent it, unchecked: decimals still text, so that a malformed fill can be refused
 * with the field named.
 *
 * @param fillId the exchange's fill id
 * @param exchange the exchange
 * @param pair the pair or instrument
 * @param side "BUY", "SELL" or "" when unset
 * @param size quantity, decimal text
 * @param price price, decimal text
 * @param fee fee in fee_currency, decimal text
 * @param feeCurrency the fee's currency
 * @param feeUsd the fee in USD, decimal text, may be empty
 * @param fillTime when it executed, or null
 * @param realizedPnlUsd realized PnL, decimal text, may be empty
 */
public record FillInput(
    String fillId,
    String exchange,
    String pair,
    String side,
    String size,
    String price,
    String fee,
    String feeCurrency,
    String feeUsd,
    Instant fillTime,
    String realizedPnlUsd) {}
