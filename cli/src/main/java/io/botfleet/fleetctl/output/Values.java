package io.botfleet.fleetctl.output;

import com.google.protobuf.Duration;
import com.google.protobuf.ProtocolMessageEnum;
import com.google.protobuf.Timestamp;
import io.botfleet.fleetctl.config.Durations;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How single values read in tables: times in UTC, short enum names, durations. */
public final class Values {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private Values() {}

  /** "2026-01-01 00:00:00Z", or "-" when unset. */
  public static String time(Timestamp timestamp) {
    if (timestamp == null || (timestamp.getSeconds() == 0 && timestamp.getNanos() == 0)) {
      return "-";
    }
    return TIME.format(Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()));
  }

  /** "1h30m", or "-" when unset. */
  public static String duration(Duration duration) {
    if (duration == null || (duration.getSeconds() == 0 && duration.getNanos() == 0)) {
      return "-";
    }
    return Durations.format(
        java.time.Duration.ofSeconds(duration.getSeconds(), duration.getNanos()));
  }

  /**
   * The enum value without its type prefix, lower case: BOT_STATUS_ACTIVE → "active",
   * TIER_READ_ONLY → "read_only". Unset (…_UNSPECIFIED) is "-".
   */
  public static String enumName(ProtocolMessageEnum value) {
    return enumName(value.getValueDescriptor());
  }

  /** As {@link #enumName(ProtocolMessageEnum)}, from a descriptor. */
  public static String enumName(com.google.protobuf.Descriptors.EnumValueDescriptor value) {
    String name = value.getName();
    String prefix = upperSnake(value.getType().getName()) + "_";
    String shortName = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    if (shortName.equals("UNSPECIFIED") || value.getNumber() == 0) {
      return "-";
    }
    return shortName.toLowerCase(Locale.ROOT);
  }

  /** "-" for an empty string. */
  public static String text(String value) {
    return value == null || value.isEmpty() ? "-" : value;
  }

  /** Yes/no. */
  public static String yesNo(boolean value) {
    return value ? "yes" : "no";
  }

  /** A percentage or score with one decimal. */
  public static String decimal1(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  /** A number without a useless ".0". */
  public static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.3f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  /** A JSON object on one line, for a table cell ("-" when empty). */
  public static String json(com.google.protobuf.Struct struct) {
    if (struct == null || struct.getFieldsCount() == 0) {
      return "-";
    }
    try {
      return com.google.protobuf.util.JsonFormat.printer()
          .omittingInsignificantWhitespace()
          .print(struct);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return struct.toString();
    }
  }

  static String upperSnake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }
}
