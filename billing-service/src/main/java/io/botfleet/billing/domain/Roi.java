package io.botfleet.billing.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The guide's return on cost: net = gross - cost; roi_pct = net / cost x 100, 1 decimal half up,
 * and 0 when there is no cost. The guide's example day (gross 234.50, cost 24.63) gives net 209.87
 * and 852.1 % (the guide prints 851.7, an arithmetic slip).
 *
 * @param grossPnlUsd gross PnL
 * @param totalCostUsd total cost
 * @param netPnlUsd gross - cost
 * @param roiPct net / cost x 100, 1 decimal; 0 when cost is 0
 */
public record Roi(
    BigDecimal grossPnlUsd, BigDecimal totalCostUsd, BigDecimal netPnlUsd, BigDecimal roiPct) {

  /** The ROI of a gross PnL against a cost. */
  public static Roi of(BigDecimal gross, BigDecimal cost) {
    BigDecimal net = gross.subtract(cost);
    BigDecimal pct =
        cost.signum() == 0
            ? BigDecimal.ZERO
            : net.multiply(BigDecimal.valueOf(100)).divide(cost, 1, RoundingMode.HALF_UP);
    return new Roi(gross, cost, net, pct);
  }

  /** True if the cost is 0 (roi_pct is then 0 by definition and says nothing). */
  public boolean costless() {
    return totalCostUsd.signum() == 0;
  }
}
