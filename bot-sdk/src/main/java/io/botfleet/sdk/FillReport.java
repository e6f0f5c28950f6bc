package io.botfleet.sdk;

import java.math.BigDecimal;
import java.util.List;

/**
 * What billing-service booked of one batch of fills.
 *
 * @param accepted fills booked
 * @param duplicates fills ignored as already booked (a retry)
 * @param rejected fills refused, each with the field at fault
 * @param feesUsd sum of the booked fees, USD
 */
public record FillReport(
    int accepted, int duplicates, List<Rejection> rejected, BigDecimal feesUsd) {

  /**
   * A fill that was not booked.
   *
   * @param fillId its id
   * @param field the field at fault
   * @param description what is wrong
   */
  public record Rejection(String fillId, String field, String description) {}

  /** Copies the list. */
  public FillReport {
    rejected = List.copyOf(rejected);
  }
}
