package io.botfleet.health.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Numbers as the guide's Python prints them in issue names: {@code f"{x:.1f}"} for drawdown
 * (correctly rounded from the binary value, half to even) and {@code f"{x}"} for latency and memory
 * (integers without a decimal point, as the bots of the guide send them).
 */
final class IssueText {

  private IssueText() {}

  /** {@code f"{x:.1f}"}. */
  static String oneDecimal(double value) {
    return new BigDecimal(value).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
  }

  /** {@code f"{x}"}: 5001.0 → "5001", 1200.5 → "1200.5". */
  static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return BigDecimal.valueOf(value).toPlainString();
  }
}
