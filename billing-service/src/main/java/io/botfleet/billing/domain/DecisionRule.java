package io.botfleet.billing.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The guide's decision rule with its thresholds made explicit (configurable, defaults in
 * BillingConfig): shut down a bot whose ROI is negative or marginal, scale one whose ROI is high,
 * optimise one whose costs eat a large share of its gross PnL and are material per day, keep the
 * rest. A bot with no cost yet is judged by its gross alone (a loss: shut down; else keep).
 *
 * @param shutDownBelowRoiPct ROI below this: shut down
 * @param scaleFromRoiPct ROI at or above this: scale
 * @param optimiseFromCostSharePct cost / gross at or above this percentage...
 * @param optimiseMinDailyCostUsd ...with at least this cost per day on average: optimise
 */
public record DecisionRule(
    BigDecimal shutDownBelowRoiPct,
    BigDecimal scaleFromRoiPct,
    BigDecimal optimiseFromCostSharePct,
    BigDecimal optimiseMinDailyCostUsd) {

  /** The recommendation for an ROI over a period of {@code days} days. */
  public Recommendation recommend(Roi roi, long days) {
    if (roi.costless()) {
      return roi.grossPnlUsd().signum() < 0 ? Recommendation.SHUT_DOWN : Recommendation.KEEP;
    }
    if (roi.netPnlUsd().signum() < 0 || roi.roiPct().compareTo(shutDownBelowRoiPct) < 0) {
      return Recommendation.SHUT_DOWN;
    }
    if (roi.roiPct().compareTo(scaleFromRoiPct) >= 0) {
      return Recommendation.SCALE;
    }
    BigDecimal costShare =
        roi.totalCostUsd()
            .multiply(BigDecimal.valueOf(100))
            .divide(roi.grossPnlUsd(), 4, RoundingMode.HALF_UP);
    BigDecimal dailyCost =
        roi.totalCostUsd().divide(BigDecimal.valueOf(Math.max(1, days)), 8, RoundingMode.HALF_UP);
    if (costShare.compareTo(optimiseFromCostSharePct) >= 0
        && dailyCost.compareTo(optimiseMinDailyCostUsd) >= 0) {
      return Recommendation.OPTIMISE;
    }
    return Recommendation.KEEP;
  }
}
