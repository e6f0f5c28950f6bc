package io.botfleet.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AllocationTest {

  @Test
  void aMonthlyAmountAccruesInCentsAndTheMonthAddsUpExactly() {
    assertThat(Allocation.dailyAmount(new BigDecimal("204"), LocalDate.of(2026, 9, 15)))
        .isEqualByComparingTo("6.80");
    assertThat(Allocation.dailyAmount(new BigDecimal("100"), LocalDate.of(2026, 9, 15)))
        .isEqualByComparingTo("3.33");
    assertThat(Allocation.dailyAmount(new BigDecimal("100"), LocalDate.of(2026, 9, 30)))
        .isEqualByComparingTo("3.34");
    for (String monthly : new String[] {"100", "204", "0.07", "1500.01"}) {
      for (YearMonth month : new YearMonth[] {YearMonth.of(2026, 2), YearMonth.of(2026, 7)}) {
        BigDecimal sum = BigDecimal.ZERO;
        for (int day = 1; day <= month.lengthOfMonth(); day++) {
          sum = sum.add(Allocation.dailyAmount(new BigDecimal(monthly), month.atDay(day)));
        }
        assertThat(sum).as(monthly + " in " + month).isEqualByComparingTo(monthly);
      }
    }
  }

  @Test
  void aSharedMachineSplitsAcrossThreeBotsToTheCent() {
    Map<String, BigDecimal> even =
        Allocation.split(new BigDecimal("6.80"), Map.of("bot-c", 1L, "bot-a", 1L, "bot-b", 1L));
    assertThat(even)
        .containsExactly(
            Map.entry("bot-a", new BigDecimal("2.27")),
            Map.entry("bot-b", new BigDecimal("2.27")),
            Map.entry("bot-c", new BigDecimal("2.26")));
  }

  @Test
  void byUsageFollowsTheWeightsAndNobodyTradingSplitsEvenly() {
    Map<String, BigDecimal> byTrades =
        Allocation.split(new BigDecimal("6.80"), Map.of("a", 10L, "b", 30L, "c", 60L));
    assertThat(byTrades.get("a")).isEqualByComparingTo("0.68");
    assertThat(byTrades.get("b")).isEqualByComparingTo("2.04");
    assertThat(byTrades.get("c")).isEqualByComparingTo("4.08");

    Map<String, BigDecimal> idle =
        Allocation.split(new BigDecimal("1.00"), Map.of("a", 0L, "b", 0L));
    assertThat(idle.values()).allSatisfy(v -> assertThat(v).isEqualByComparingTo("0.50"));
  }

  @Test
  void theLeftoverCentsGoToTheLargestRemaindersAndNothingIsLost() {
    Map<String, BigDecimal> parts =
        Allocation.split(new BigDecimal("0.10"), Map.of("a", 1L, "b", 1L, "c", 1L));
    assertThat(parts.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add))
        .isEqualByComparingTo("0.10");
    assertThat(parts.get("a")).isEqualByComparingTo("0.04");
  }
}
