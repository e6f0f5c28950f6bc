package io.botfleet.health.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** The window of an SLA check, ending now. */
public enum SlaWindow {
  /** The last hour. */
  HOUR_1,
  /** The last 24 hours (the default). */
  HOURS_24,
  /** The last 7 days. */
  DAYS_7,
  /** The last 30 days. */
  DAYS_30,
  /** The current calendar month (UTC) so far. */
  CALENDAR_MONTH;

  /** Where the window ending at {@code now} starts. */
  public Instant start(Instant now) {
    return switch (this) {
      case HOUR_1 -> now.minus(Duration.ofHours(1));
      case HOURS_24 -> now.minus(Duration.ofHours(24));
      case DAYS_7 -> now.minus(Duration.ofDays(7));
      case DAYS_30 -> now.minus(Duration.ofDays(30));
      case CALENDAR_MONTH -> {
        ZonedDateTime utc = now.atZone(ZoneOffset.UTC);
        yield utc.toLocalDate().withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
    };
  }
}
