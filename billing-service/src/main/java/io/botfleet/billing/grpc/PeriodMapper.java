package io.botfleet.billing.grpc;

import io.botfleet.billing.domain.Period;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** Translates report periods: a day, a month or a range; the current month when unset. */
final class PeriodMapper {

  private PeriodMapper() {}

  /** The period of a request; the current month (UTC) when unset. */
  static Period period(io.botfleet.billing.v1.Period period, boolean present, String field) {
    if (!present) {
      return Period.ofMonth(YearMonth.now(ZoneOffset.UTC));
    }
    return switch (period.getPeriodCase()) {
      case DAY -> Period.day(period.getDay(), field + ".day");
      case MONTH -> Period.month(period.getMonth(), field + ".month");
      case RANGE ->
          Period.range(
              period.getRange().getStartDate(), period.getRange().getEndDate(), field + ".range");
      case PERIOD_NOT_SET -> Period.ofMonth(YearMonth.now(ZoneOffset.UTC));
    };
  }

  /** The proto form of a period, as the report covered it. */
  static io.botfleet.billing.v1.Period toProto(Period period) {
    io.botfleet.billing.v1.Period.Builder proto = io.botfleet.billing.v1.Period.newBuilder();
    if (period.start().equals(period.end())) {
      return proto.setDay(period.start().toString()).build();
    }
    if (period.isMonth()) {
      return proto.setMonth(YearMonth.from(period.start()).toString()).build();
    }
    return proto
        .setRange(
            io.botfleet.billing.v1.DateRange.newBuilder()
                .setStartDate(period.start().toString())
                .setEndDate(period.end().toString()))
        .build();
  }
}
