package io.botfleet.billing.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What became of the fills of a ReportFills stream, added up message by message.
 *
 * @param accepted fills booked
 * @param duplicates fills ignored as already booked
 * @param rejected fills refused, with the field at fault
 * @param feesUsd the booked fees
 */
public record FillReport(
    int accepted, int duplicates, List<Rejection> rejected, BigDecimal feesUsd) {

  /**
   * A refused fill.
   *
   * @param fillId its id
   * @param field the field at fault
   * @param description what is wrong
   */
  public record Rejection(String fillId, String field, String description) {}

  /** Nothing reported yet. */
  public static FillReport empty() {
    return new FillReport(0, 0, List.of(), BigDecimal.ZERO);
  }

  /** This report and {@code more}. */
  public FillReport plus(FillReport more) {
    List<Rejection> all = new ArrayList<>(rejected);
    all.addAll(more.rejected);
    return new FillReport(
        accepted + more.accepted,
        duplicates + more.duplicates,
        List.copyOf(all),
        feesUsd.add(more.feesUsd));
  }
}
