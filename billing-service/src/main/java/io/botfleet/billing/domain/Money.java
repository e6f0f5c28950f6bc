package io.botfleet.billing.domain;

import java.math.BigDecimal;

/**
 * Parsing of USD amounts from decimal strings: exact, at most 8 decimal places, at most 12 integer
 * digits. Never binary floating point.
 */
public final class Money {

  /** Decimal places kept. */
  public static final int SCALE = 8;

  private static final BigDecimal LIMIT = new BigDecimal("1000000000000");

  private Money() {}

  /**
   * The amount of a decimal string.
   *
   * @throws IllegalArgumentException with a message fit for a field violation
   */
  public static BigDecimal parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("is required, as a decimal string such as \"12.50\"");
    }
    BigDecimal amount;
    try {
      amount = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a decimal number such as \"12.50\", got " + text);
    }
    if (amount.stripTrailingZeros().scale() > SCALE) {
      throw new IllegalArgumentException("has more than " + SCALE + " decimal places: " + text);
    }
    if (amount.abs().compareTo(LIMIT) >= 0) {
      throw new IllegalArgumentException("must be below 1,000,000,000,000 in absolute value");
    }
    return amount;
  }

  /** The decimal string of an amount, without trailing zeros beyond 2 places ("12.50", "0.125"). */
  public static String format(BigDecimal amount) {
    BigDecimal stripped = amount.stripTrailingZeros();
    return stripped.scale() < 2 ? amount.setScale(2).toPlainString() : stripped.toPlainString();
  }
}
