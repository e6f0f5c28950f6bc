package io.botfleet.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.common.error.InvalidArgumentException;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PeriodTest {

  @Test
  void aMonthCoversItsDaysAndADayItself() {
    Period month = Period.month("2026-02", "period.month");
    assertThat(month.start()).isEqualTo(LocalDate.of(2026, 2, 1));
    assertThat(month.end()).isEqualTo(LocalDate.of(2026, 2, 28));
    assertThat(month.isMonth()).isTrue();
    assertThat(Period.day("2026-09-15", "period.day").days()).isEqualTo(1);
  }

  @Test
  void badPeriodsNameTheirField() {
    assertThatThrownBy(() -> Period.range("2026-01-01", "2027-06-01", "period.range"))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class,
            e -> assertThat(e.violations().get(0).field()).isEqualTo("period.range.end_date"));
    assertThatThrownBy(() -> Period.month("2026-13", "period.month"))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class,
            e -> assertThat(e.violations().get(0).field()).isEqualTo("period.month"));
  }
}
