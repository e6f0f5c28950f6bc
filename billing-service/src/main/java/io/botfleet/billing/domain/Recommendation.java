package io.botfleet.billing.domain;

/** What the guide's decision rule recommends for a bot. */
public enum Recommendation {
  /** Negative or marginal ROI. */
  SHUT_DOWN,
  /** Costs eat a large share of a good gross PnL. */
  OPTIMISE,
  /** High ROI. */
  SCALE,
  /** Nothing to change (or nothing to judge yet). */
  KEEP
}
