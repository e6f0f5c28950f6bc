package io.botfleet.billing.domain;

/** How a shared recurring cost is split across the bots it covers on a day. */
public enum SplitRule {
  /** Evenly among the bots active that day. */
  EVEN,
  /** In proportion to each active bot's trades that day (evenly if nobody traded). */
  BY_USAGE
}
