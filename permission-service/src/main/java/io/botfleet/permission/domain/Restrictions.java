package io.botfleet.permission.domain;

import java.math.BigDecimal;
import java.util.List;

/**
 * Limits that narrow a tier for one bot, validated ({@link RestrictionsInput#validate}). A null
 * limit or an empty list does not restrict.
 *
 * @param maxOrderSizeUsd largest single order, USD
 * @param maxPositionUsd largest absolute position after an order, USD
 * @param allowedPairs the pairs the bot may trade, exactly (e.g. BTC/USDT)
 * @param allowedInstruments patterns of the instruments the bot may trade
 * @param maxDeltaExposure largest absolute portfolio delta after an order
 * @param deniedActions actions denied although the tier grants them
 */
public record Restrictions(
    BigDecimal maxOrderSizeUsd,
    BigDecimal maxPositionUsd,
    List<String> allowedPairs,
    List<InstrumentPattern> allowedInstruments,
    BigDecimal maxDeltaExposure,
    List<String> deniedActions) {

  /** No restriction at all. */
  public static final Restrictions NONE =
      new Restrictions(null, null, List.of(), List.of(), null, List.of());

  /** Copies the lists. */
  public Restrictions {
    allowedPairs = List.copyOf(allowedPairs);
    allowedInstruments = List.copyOf(allowedInstruments);
    deniedActions = List.copyOf(deniedActions);
  }

  /** True if a restriction limits orders (and so needs a tier that places them). */
  public boolean limitsOrders() {
    return maxOrderSizeUsd != null
        || maxPositionUsd != null
        || maxDeltaExposure != null
        || !allowedPairs.isEmpty()
        || !allowedInstruments.isEmpty();
  }

  /** True if orders must name an allowed pair or instrument. */
  public boolean limitsMarkets() {
    return !allowedPairs.isEmpty() || !allowedInstruments.isEmpty();
  }
}
