package io.botfleet.fleetctl.command;

import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.botfleet.billing.v1.DateRange;
import io.botfleet.billing.v1.Period;
import io.botfleet.fleetctl.CliException;
import io.botfleet.fleetctl.config.Durations;
import io.botfleet.fleetctl.output.Values;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns what an operator types into request fields, or a clear "invalid input" (exit 2). */
public final class Args {

  private Args() {}

  /** A duration such as 30s, 5m, 1h, 7d. */
  public static com.google.protobuf.Duration duration(String text, String option) {
    try {
      java.time.Duration d = Durations.parse(text, option);
      return com.google.protobuf.Duration.newBuilder()
          .setSeconds(d.getSeconds())
          .setNanos(d.getNano())
          .build();
    } catch (IllegalArgumentException e) {
      throw CliException.invalid(e.getMessage());
    }
  }

  /**
   * A point in time: an ISO instant (2026-01-01T08:00:00Z), a day (2026-01-01, its start in UTC),
   * "now", or a time ago (-1h, -30m, -7d).
   */
  public static Timestamp time(String text, String option, Instant now) {
    String t = text.trim();
    Instant instant;
    try {
      if (t.equals("now")) {
        instant = now;
      } else if (t.startsWith("-")) {
        instant = now.minus(Durations.parse(t.substring(1), option));
      } else if (t.length() == 10) {
        instant = LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
      } else {
        instant = Instant.parse(t);
      }
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw CliException.invalid(
          option
              + ": want a time such as 2026-01-01T08:00:00Z, 2026-01-01, now or -1h (an hour ago),"
              + " got '"
              + text
              + "'");
    }
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  /** A decimal, passed on exactly as typed ("12.50" stays "12.50"). */
  public static String decimal(String text, String option) {
    try {
      new BigDecimal(text.trim());
      return text.trim();
    } catch (NumberFormatException e) {
      throw CliException.invalid(
          option + ": want a decimal number such as 12.50, got '" + text + "'");
    }
  }

  /** A day, "YYYY-MM-DD". */
  public static String day(String text, String option) {
    try {
      return LocalDate.parse(text.trim()).toString();
    } catch (DateTimeParseException e) {
      throw CliException.invalid(option + ": want a day YYYY-MM-DD, got '" + text + "'");
    }
  }

  /** A month, "YYYY-MM". */
  public static String month(String text, String option) {
    try {
      return YearMonth.parse(text.trim()).toString();
    } catch (DateTimeParseException e) {
      throw CliException.invalid(option + ": want a month YYYY-MM, got '" + text + "'");
    }
  }

  /** key=value pairs. */
  public static Map<String, String> pairs(List<String> items, String option) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String item : items) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw CliException.invalid(option + ": want key=value, got '" + item + "'");
      }
      map.put(item.substring(0, eq), item.substring(eq + 1));
    }
    return map;
  }

  /**
   * A JSON object ({@code --payload '{"reason":"x"}'}) merged with key=value pairs ({@code --set
   * reason=x}); a pair's value is read as JSON when it is JSON (numbers, true, lists), else as
   * text.
   */
  public static Struct struct(String json, List<String> pairs, String option) {
    Struct.Builder struct = Struct.newBuilder();
    if (json != null && !json.isBlank()) {
      try {
        JsonFormat.parser().merge(json, struct);
      } catch (InvalidProtocolBufferException e) {
        throw CliException.invalid(option + ": not a JSON object: " + e.getMessage());
      }
    }
    for (Map.Entry<String, String> pair : pairs(pairs, "--set").entrySet()) {
      Value.Builder value = Value.newBuilder();
      try {
        JsonFormat.parser().merge(pair.getValue(), value);
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        value.clear().setStringValue(pair.getValue());
      }
      struct.putFields(pair.getKey(), value.build());
    }
    return struct.build();
  }

  /**
   * A billing period from --day, --month or --from/--to; none of them means the service's default
   * (the current month).
   */
  public static Period period(String day, String month, String from, String to) {
    int given =
        (day != null ? 1 : 0) + (month != null ? 1 : 0) + (from != null || to != null ? 1 : 0);
    if (given > 1) {
      throw CliException.invalid("give one of --day, --month or --from/--to");
    }
    if (day != null) {
      return Period.newBuilder().setDay(day(day, "--day")).build();
    }
    if (month != null) {
      return Period.newBuilder().setMonth(month(month, "--month")).build();
    }
    if (from != null || to != null) {
      if (from == null || to == null) {
        throw CliException.invalid("--from and --to go together (an inclusive range of days)");
      }
      return Period.newBuilder()
          .setRange(
              DateRange.newBuilder().setStartDate(day(from, "--from")).setEndDate(day(to, "--to")))
          .build();
    }
    return null;
  }

  /**
   * An enum value by its short name: "read_only" for TIER_READ_ONLY, "active" for BOT_STATUS_ACTIVE
   * (case and dashes do not matter).
   */
  public static EnumValueDescriptor enumValue(EnumDescriptor type, String text, String option) {
    String wanted = text.trim().toLowerCase().replace('-', '_');
    List<String> names = new ArrayList<>();
    for (EnumValueDescriptor value : type.getValues()) {
      String name = Values.enumName(value);
      if (name.equals("-")) {
        continue;
      }
      names.add(name);
      if (name.equals(wanted) || value.getName().equalsIgnoreCase(wanted)) {
        return value;
      }
    }
    throw CliException.invalid(
        option + ": want one of " + String.join(", ", names) + ", got '" + text + "'");
  }
}
