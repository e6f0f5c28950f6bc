package io.botfleet.billing.domain;

import java.math.BigDecimal;

/**
 * Quantities and prices of trades: exact decimals with up to 18 decimal places (token amounts),
 * which is finer than {@link Money} keeps.
 */
public final class Decimals {

  private static final int MAX_SCALE = 18;
  private static final int MAX_PRECISION = 38;

  private Decimals() {}

  /** A decimal greater than 0. */
  public static BigDecimal positive(String text) {
    BigDecimal value = any(text);
    if (value.signum() <= 0) {
      throw new IllegalArgumentException("must be greater than 0, got " + text);
    }
    return value;
  }

  /** Any decimal. */
  public static BigDecimal any(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("is required, as a decimal string such as \"0.5\"");
    }
    BigDecimal value;
    try {
      value = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a decimal number, got " + text);
    }
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.scale() > MAX_SCALE || stripped.precision() > MAX_PRECISION) {
      throw new IllegalArgumentException(
          "must have at most " + MAX_SCALE + " decimal places and 38 digits, got " + text);
    }
    return value;
  }
}
