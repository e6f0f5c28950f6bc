package io.botfleet.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class BudgetAlertKindTest {

  private static final BigDecimal BUDGET = new BigDecimal("500");

  @Test
  void exactlyEightyPercentRaisesNothingAndACentMoreWarns() {
    assertThat(BudgetAlertKind.crossed(new BigDecimal("400.00"), BUDGET)).isEmpty();
    assertThat(BudgetAlertKind.crossed(new BigDecimal("400.01"), BUDGET))
        .containsExactly(BudgetAlertKind.WARNING);
  }

  @Test
  void exactlyTheBudgetOnlyWarnsAndACentMoreExceeds() {
    assertThat(BudgetAlertKind.crossed(new BigDecimal("500.00"), BUDGET))
        .containsExactly(BudgetAlertKind.WARNING);
    assertThat(BudgetAlertKind.crossed(new BigDecimal("500.01"), BUDGET))
        .containsExactly(BudgetAlertKind.WARNING, BudgetAlertKind.EXCEEDED);
  }

  @Test
  void aHairAboveEightyPercentIsAboveEvenWhereThePercentRoundsTo80_0() {
    BigDecimal spent = new BigDecimal("400.00000001");
    assertThat(BudgetAlertKind.utilizationPct(spent, BUDGET)).isEqualByComparingTo("80.0");
    assertThat(BudgetAlertKind.crossed(spent, BUDGET)).containsExactly(BudgetAlertKind.WARNING);
  }
}
