package io.botfleet.permission.domain;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * The decimal strings of the API ("5000", "0.5", "-0.25"): plain digits with an optional fraction.
 * Exponents, NaN, infinities and thousands separators are refused, so every accepted value is an
 * exact {@link BigDecimal}.
 */
public final class DecimalStrings {

  private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,15}(\\.[0-9]{1,8})?");

  private DecimalStrings() {}

  /** The value of {@code text}, or null if it is not a decimal string. */
  public static BigDecimal parseOrNull(String text) {
    if (text == null || !DECIMAL.matcher(text).matches()) {
      return null;
    }
    return new BigDecimal(text);
  }

  /** What a valid value looks like, for error messages. */
  static String describe(String text) {
    return "must be a decimal such as 5000 or 0.5 (at most 15 digits and 8 decimals), got \""
        + (text.length() > 40 ? text.substring(0, 40) + "…" : text)
        + "\"";
  }
}
