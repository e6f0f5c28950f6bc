package io.botfleet.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RoiTest {

  private final DecisionRule rule =
      new DecisionRule(
          new BigDecimal("25"), new BigDecimal("300"), new BigDecimal("30"), BigDecimal.TEN);

  @Test
  void theGuidesExampleDayIs852_1PercentNot851_7() {
    Roi roi = Roi.of(new BigDecimal("234.50"), new BigDecimal("24.63"));
    assertThat(roi.netPnlUsd()).isEqualByComparingTo("209.87");
    assertThat(roi.roiPct()).isEqualByComparingTo("852.1");
    assertThat(rule.recommend(roi, 1)).isEqualTo(Recommendation.SCALE);
  }

  @Test
  void noCostMeansZeroRoiAndTheGrossAloneDecides() {
    Roi roi = Roi.of(new BigDecimal("50"), BigDecimal.ZERO);
    assertThat(roi.roiPct()).isEqualByComparingTo("0");
    assertThat(rule.recommend(roi, 1)).isEqualTo(Recommendation.KEEP);
    assertThat(rule.recommend(Roi.of(new BigDecimal("-5"), BigDecimal.ZERO), 1))
        .isEqualTo(Recommendation.SHUT_DOWN);
  }

  @Test
  void negativeOrMarginalRoiShutsDown() {
    assertThat(rule.recommend(Roi.of(new BigDecimal("90"), new BigDecimal("100")), 1))
        .isEqualTo(Recommendation.SHUT_DOWN);
    assertThat(rule.recommend(Roi.of(new BigDecimal("124.90"), new BigDecimal("100")), 1))
        .isEqualTo(Recommendation.SHUT_DOWN);
    assertThat(rule.recommend(Roi.of(new BigDecimal("125"), new BigDecimal("100")), 1))
        .isNotEqualTo(Recommendation.SHUT_DOWN);
  }

  @Test
  void highCostEatingALargeShareOfAGoodGrossIsOptimisedAndSmallCostsAreKept() {
    // cost 100 of gross 250: 40 % of gross, 100 a day.
    assertThat(rule.recommend(Roi.of(new BigDecimal("250"), new BigDecimal("100")), 1))
        .isEqualTo(Recommendation.OPTIMISE);
    // The same ratio at 5 a day is not a high cost.
    assertThat(rule.recommend(Roi.of(new BigDecimal("12.50"), new BigDecimal("5")), 1))
        .isEqualTo(Recommendation.KEEP);
    // cost 100 of gross 400: ROI 300 %.
    assertThat(rule.recommend(Roi.of(new BigDecimal("400"), new BigDecimal("100")), 1))
        .isEqualTo(Recommendation.SCALE);
  }
}
