package io.botfleet.permission.domain;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An allowed-instruments pattern such as the guide's {@code BTC-*-C}: dash-separated segments,
 * where {@code *} stands for one or more whole segments and any other segment matches itself
 * (case-sensitive). So {@code BTC-*-C} matches Deribit's {@code BTC-27DEC26-100000-C} (every BTC
 * call) but not {@code BTC-27DEC26-100000-P} nor {@code BTCX-1-C}. A pattern of wildcards only
 * would allow every instrument and is refused: omit the restriction instead.
 */
public final class InstrumentPattern {

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.]{1,32}|\\*");
  private static final String WILDCARD = "*";

  private final String text;
  private final String[] segments;

  private InstrumentPattern(String text, String[] segments) {
    this.text = text;
    this.segments = segments;
  }

  /**
   * Parses a pattern.
   *
   * @throws IllegalArgumentException saying what is wrong: a malformed segment, or a pattern of
   *     wildcards only
   */
  public static InstrumentPattern parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 128) {
      throw new IllegalArgumentException("must be 1 to 128 characters");
    }
    String[] segments = text.split("-", -1);
    if (segments.length > 8) {
      throw new IllegalArgumentException("\"" + text + "\" has more than 8 segments");
    }
    for (String segment : segments) {
      if (!SEGMENT.matcher(segment).matches()) {
        throw new IllegalArgumentException(
            "\""
                + text
                + "\" has a malformed segment \""
                + segment
                + "\": a segment is * or 1 to 32 of [A-Za-z0-9_.]");
      }
    }
    if (Arrays.stream(segments).allMatch(WILDCARD::equals)) {
      throw new IllegalArgumentException(
          "\"" + text + "\" allows every instrument: omit allowed_instruments instead");
    }
    return new InstrumentPattern(text, segments);
  }

  /** The dash-separated segments of an instrument name, as {@link #matches} takes them. */
  public static String[] segmentsOf(String instrument) {
    return instrument.split("-", -1);
  }

  /** True if the instrument with these segments matches. */
  public boolean matches(String[] instrument) {
    return matches(instrument, 0, 0);
  }

  private boolean matches(String[] instrument, int i, int p) {
    if (p == segments.length) {
      return i == instrument.length;
    }
    if (WILDCARD.equals(segments[p])) {
      // One or more segments: try each split, shortest first (patterns have at most 8 segments).
      for (int end = i + 1; end <= instrument.length; end++) {
        if (matches(instrument, end, p + 1)) {
          return true;
        }
      }
      return false;
    }
    return i < instrument.length
        && segments[p].equals(instrument[i])
        && matches(instrument, i + 1, p + 1);
  }

  /** The pattern as written. */
  public String text() {
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof InstrumentPattern that && text.equals(that.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
