package io.botfleet.health.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The ranges of health.v1 Heartbeat. A heartbeat that breaks one is refused whole (nothing of it is
 * stored or evaluated) with every field at fault named, so a bot can fix its reporting.
 */
public final class HeartbeatCheck {

  /** Ten years. */
  static final long MAX_UPTIME_SECONDS = 10L * 366 * 24 * 3600;

  static final double MAX_LATENCY_MS = 600_000;
  static final double MAX_MEMORY_MB = 1_048_576;
  static final double MAX_CPU_PCT = 6_400;

  /** Above a billion trades or errors in a day or a heartbeat, the counter is broken. */
  static final long MAX_COUNTER = 1_000_000_000L;

  /** How far ahead of our clock a sample may be stamped (clock skew of the bot). */
  static final Duration MAX_FUTURE = Duration.ofSeconds(60);

  /** How old a sample may be: a heartbeat reports the present. */
  static final Duration MAX_AGE = Duration.ofHours(1);

  static final int MAX_CUSTOM_METRICS = 32;
  private static final Pattern CUSTOM_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}");

  /** A plain decimal: at most 12 integer digits and 8 decimals (exact money, no exponent). */
  private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,12}(\\.[0-9]{1,8})?");

  private HeartbeatCheck() {}

  /** Every problem of {@code heartbeat} received at {@code now}; empty if it is well formed. */
  public static List<FieldError> problems(Heartbeat heartbeat, Instant now) {
    List<FieldError> errors = new ArrayList<>();
    if (heartbeat.sequence() < 1) {
      errors.add(new FieldError("sequence", "must be at least 1, got " + heartbeat.sequence()));
    }
    Instant time = heartbeat.heartbeatTime();
    if (time == null) {
      errors.add(new FieldError("heartbeat_time", "is required"));
    } else if (time.isAfter(now.plus(MAX_FUTURE))) {
      errors.add(
          new FieldError(
              "heartbeat_time", "is more than 60 s ahead of the server's clock (" + time + ")"));
    } else if (time.isBefore(now.minus(MAX_AGE))) {
      errors.add(new FieldError("heartbeat_time", "is more than 1 hour old (" + time + ")"));
    }
    String version = heartbeat.version();
    if (version == null || version.isEmpty()) {
      errors.add(new FieldError("version", "is required, e.g. \"2.4.1\""));
    } else if (!VERSION.matcher(version).matches()) {
      errors.add(
          new FieldError(
              "version",
              "must be 1 to 64 characters of letters, digits and . + _ -, got " + quote(version)));
    }
    range(errors, "uptime_seconds", heartbeat.uptimeSeconds(), MAX_UPTIME_SECONDS);
    range(errors, "heartbeat_latency_ms", heartbeat.latencyMs(), MAX_LATENCY_MS);
    String pnl = heartbeat.pnlUsd();
    if (pnl == null || pnl.isEmpty()) {
      errors.add(new FieldError("pnl_usd", "is required, a decimal string such as \"234.50\""));
    } else if (!DECIMAL.matcher(pnl).matches()) {
      errors.add(
          new FieldError(
              "pnl_usd",
              "must be a decimal string with at most 12 integer digits and 8 decimals, got "
                  + quote(pnl)));
    }
    range(errors, "drawdown_pct", heartbeat.drawdownPct(), 100);
    range(errors, "trade_count", heartbeat.tradeCount(), MAX_COUNTER);
    range(errors, "open_positions", heartbeat.openPositions(), Integer.MAX_VALUE);
    range(errors, "open_orders", heartbeat.openOrders(), Integer.MAX_VALUE);
    range(errors, "memory_mb", heartbeat.memoryMb(), MAX_MEMORY_MB);
    range(errors, "cpu_pct", heartbeat.cpuPct(), MAX_CPU_PCT);
    range(errors, "error_count", heartbeat.errorCount(), MAX_COUNTER);
    Map<String, Double> custom = heartbeat.customMetrics();
    if (custom.size() > MAX_CUSTOM_METRICS) {
      errors.add(
          new FieldError(
              "custom_metrics",
              "at most " + MAX_CUSTOM_METRICS + " metrics, got " + custom.size()));
    }
    custom.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            entry -> {
              String name = entry.getKey();
              if (!CUSTOM_NAME.matcher(name).matches()) {
                errors.add(
                    new FieldError(
                        "custom_metrics[" + printable(name) + "]",
                        "name must match [a-z][a-z0-9_]{0,63}"));
              } else if (!Double.isFinite(entry.getValue())) {
                errors.add(
                    new FieldError(
                        "custom_metrics[" + name + "]", "must be finite, got " + entry.getValue()));
              }
            });
    return errors;
  }

  private static void range(List<FieldError> errors, String field, double value, double max) {
    if (!Double.isFinite(value)) {
      errors.add(new FieldError(field, "must be a finite number, got " + value));
    } else if (value < 0 || value > max) {
      errors.add(
          new FieldError(field, "must be between 0 and " + plain(max) + ", got " + plain(value)));
    }
  }

  private static void range(List<FieldError> errors, String field, long value, long max) {
    if (value < 0 || value > max) {
      errors.add(new FieldError(field, "must be between 0 and " + max + ", got " + value));
    }
  }

  private static String plain(double value) {
    return IssueText.number(value);
  }

  private static String quote(String value) {
    return "\"" + printable(value) + "\"";
  }

  /** At most 80 characters, control characters replaced, so an answer never echoes junk. */
  private static String printable(String value) {
    String cut = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
