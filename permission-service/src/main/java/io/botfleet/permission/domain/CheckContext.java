package io.botfleet.permission.domain;

import io.botfleet.common.error.Violations;
import java.math.BigDecimal;

/**
 * What an action is done on, as far as restrictions need to know. Empty strings and nulls mean "not
 * given": a restriction that needs a missing value denies.
 *
 * @param exchange the exchange, or ""
 * @param pair the pair, e.g. BTC/USDT, or ""
 * @param instrument the instrument, e.g. BTC-27DEC26-100000-C, or ""
 * @param orderSizeUsd order size in USD, or null
 * @param reduceOnly true if the order can only reduce a position
 * @param positionAfterUsd absolute position after the order in USD, or null
 * @param deltaAfter portfolio delta after the order, or null
 */
public record CheckContext(
    String exchange,
    String pair,
    String instrument,
    BigDecimal orderSizeUsd,
    boolean reduceOnly,
    BigDecimal positionAfterUsd,
    BigDecimal deltaAfter) {

  /** No context at all. */
  public static final CheckContext NONE = new CheckContext("", "", "", null, false, null, null);

  /**
   * Parses a context as a request writes it; INVALID_ARGUMENT naming every malformed field (under
   * {@code prefix}, e.g. "context" or "checks[3].context"). Negative sizes and positions, NaN and
   * anything that is not a plain decimal are refused, never read as "missing".
   */
  public static CheckContext parse(
      String exchange,
      String pair,
      String instrument,
      String orderSizeUsd,
      boolean reduceOnly,
      String positionAfterUsd,
      String deltaAfter,
      String prefix) {
    Violations violations = new Violations();
    violations.require(exchange.length() <= 64, prefix + ".exchange", "at most 64 characters");
    violations.require(pair.length() <= 64, prefix + ".pair", "at most 64 characters");
    violations.require(
        instrument.length() <= 128, prefix + ".instrument", "at most 128 characters");
    BigDecimal size = decimal(orderSizeUsd, false, prefix + ".order_size_usd", violations);
    BigDecimal position =
        decimal(positionAfterUsd, false, prefix + ".position_after_usd", violations);
    BigDecimal delta = decimal(deltaAfter, true, prefix + ".delta_after", violations);
    violations.throwIfAny();
    return new CheckContext(exchange, pair, instrument, size, reduceOnly, position, delta);
  }

  private static BigDecimal decimal(
      String text, boolean signed, String field, Violations violations) {
    if (text.isEmpty()) {
      return null;
    }
    BigDecimal value = DecimalStrings.parseOrNull(text);
    if (value == null) {
      violations.add(field, DecimalStrings.describe(text));
      return null;
    }
    if (!signed && value.signum() < 0) {
      violations.add(field, "must not be negative, got " + text);
      return null;
    }
    return value;
  }
}
