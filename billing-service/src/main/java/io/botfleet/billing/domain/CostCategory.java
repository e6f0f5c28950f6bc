package io.botfleet.billing.domain;

import java.util.Locale;

/** Cost categories: the guide's four plus network and exchange API fees. */
public enum CostCategory {
  /** Trading fees. */
  EXCHANGE_FEES,
  /** GreenHelix API calls. */
  API_FEES,
  /** Machines, pods, storage. */
  INFRASTRUCTURE,
  /** Market-data plans. */
  MARKET_DATA,
  /** Network transfer. */
  NETWORK,
  /** Paid exchange API access. */
  EXCHANGE_API_FEES;

  /** The guide's lower-case name, e.g. "exchange_fees". */
  public String guideName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
