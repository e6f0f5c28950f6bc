package io.botfleet.billing.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The guide's two budget thresholds. A threshold is crossed when month-to-date spend is strictly
 * above it: exactly 80 % raises nothing, exactly 100 % only the warning.
 */
public enum BudgetAlertKind {
  /** Utilization above 80 %: event budget_warning. */
  WARNING(new BigDecimal("0.8"), "fleet.budget_warning"),
  /** Utilization above 100 %: event budget_exceeded. */
  EXCEEDED(BigDecimal.ONE, "fleet.budget_exceeded");

  private final BigDecimal ratio;
  private final String eventType;

  BudgetAlertKind(BigDecimal ratio, String eventType) {
    this.ratio = ratio;
    this.eventType = eventType;
  }

  /** The event type of an alert of this kind. */
  public String eventType() {
    return eventType;
  }

  /** The thresholds {@code spent} is strictly above, lowest first. Compared exactly. */
  public static List<BudgetAlertKind> crossed(BigDecimal spent, BigDecimal budget) {
    List<BudgetAlertKind> crossed = new ArrayList<>();
    for (BudgetAlertKind kind : values()) {
      if (spent.compareTo(budget.multiply(kind.ratio)) > 0) {
        crossed.add(kind);
      }
    }
    return crossed;
  }

  /** spent / budget in percent, 1 decimal, half up. */
  public static BigDecimal utilizationPct(BigDecimal spent, BigDecimal budget) {
    return spent.multiply(BigDecimal.valueOf(100)).divide(budget, 1, RoundingMode.HALF_UP);
  }
}
