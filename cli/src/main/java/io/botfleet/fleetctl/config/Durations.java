package io.botfleet.fleetctl.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code
 * 7d}.
 */
public final class Durations {

  private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException naming {@code what}
   */
  public static Duration parse(String value, String what) {
    Matcher m = FORM.matcher(value == null ? "" : value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          what + ": want a duration such as 500ms, 30s, 5m, 1h or 7d, got '" + value + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** The shortest exact form: {@code 90s} → "1m30s", {@code 0} → "0s". */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder text = new StringBuilder(duration.isNegative() ? "-" : "");
    Duration d = duration.abs();
    long days = d.toDays();
    if (days > 0) {
      text.append(days).append('d');
    }
    if (d.toHoursPart() > 0) {
      text.append(d.toHoursPart()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      text.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      text.append(d.toSecondsPart()).append('s');
    }
    if (d.toMillisPart() > 0) {
      text.append(d.toMillisPart()).append("ms");
    }
    return text.toString();
  }
}
