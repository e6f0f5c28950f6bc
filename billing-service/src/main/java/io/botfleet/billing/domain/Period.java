package io.botfleet.billing.domain;

import io.botfleet.common.error.InvalidArgumentException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * An inclusive range of days (UTC) a report covers: a day, a month or a range.
 *
 * @param start first day
 * @param end last day
 */
public record Period(LocalDate start, LocalDate end) {

  /** Longest range, in days after the start. */
  public static final int MAX_DAYS_AFTER_START = 366;

  /** One day. */
  public static Period ofDay(LocalDate day) {
    return new Period(day, day);
  }

  /** One month. */
  public static Period ofMonth(YearMonth month) {
    return new Period(month.atDay(1), month.atEndOfMonth());
  }

  /** A day from "YYYY-MM-DD"; INVALID_ARGUMENT naming {@code field} otherwise. */
  public static Period day(String text, String field) {
    return ofDay(date(text, field));
  }

  /** A month from "YYYY-MM"; INVALID_ARGUMENT naming {@code field} otherwise. */
  public static Period month(String text, String field) {
    try {
      return ofMonth(YearMonth.parse(text));
    } catch (DateTimeParseException e) {
      throw new InvalidArgumentException(field, "must be YYYY-MM, got \"" + text + "\"");
    }
  }

  /** A range of days; INVALID_ARGUMENT naming the fields under {@code field}. */
  public static Period range(String start, String end, String field) {
    LocalDate from = date(start, field + ".start_date");
    LocalDate to = date(end, field + ".end_date");
    if (to.isBefore(from)) {
      throw new InvalidArgumentException(field + ".end_date", "must not be before start_date");
    }
    if (ChronoUnit.DAYS.between(from, to) > MAX_DAYS_AFTER_START) {
      throw new InvalidArgumentException(
          field + ".end_date",
          "must be at most " + MAX_DAYS_AFTER_START + " days after start_date");
    }
    return new Period(from, to);
  }

  /** A date "YYYY-MM-DD"; INVALID_ARGUMENT naming {@code field} otherwise. */
  public static LocalDate date(String text, String field) {
    if (text == null || text.isEmpty()) {
      throw new InvalidArgumentException(field, "is required, as YYYY-MM-DD");
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidArgumentException(field, "must be YYYY-MM-DD, got \"" + text + "\"");
    }
  }

  /** Days covered. */
  public long days() {
    return ChronoUnit.DAYS.between(start, end) + 1;
  }

  /** True if this is exactly one calendar month. */
  public boolean isMonth() {
    return start.getDayOfMonth() == 1 && end.equals(YearMonth.from(start).atEndOfMonth());
  }

  /** The month whose budget a report of this period is compared with: the month of its end. */
  public YearMonth budgetMonth() {
    return YearMonth.from(end);
  }
}
