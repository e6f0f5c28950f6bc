package io.botfleet.fleet.domain;

import java.util.List;

/**
 * Limits narrowing a bot's tier, passed to permission-service as given (it validates them). Empty
 * strings and lists do not restrict.
 *
 * @param maxOrderSizeUsd largest single order, USD decimal
 * @param maxPositionUsd largest position after an order, USD decimal
 * @param allowedPairs allowed pairs
 * @param allowedInstruments allowed instrument patterns
 * @param maxDeltaExposure largest absolute delta
 * @param deniedActions actions denied although the tier grants them
 */
public record Restrictions(
    String maxOrderSizeUsd,
    String maxPositionUsd,
    List<String> allowedPairs,
    List<String> allowedInstruments,
    String maxDeltaExposure,
    List<String> deniedActions) {

  /** No restriction. */
  public static final Restrictions NONE =
      new Restrictions("", "", List.of(), List.of(), "", List.of());

  /** Lists copied, nulls as empty. */
  public Restrictions {
    maxOrderSizeUsd = maxOrderSizeUsd == null ? "" : maxOrderSizeUsd;
    maxPositionUsd = maxPositionUsd == null ? "" : maxPositionUsd;
    allowedPairs = allowedPairs == null ? List.of() : List.copyOf(allowedPairs);
    allowedInstruments = allowedInstruments == null ? List.of() : List.copyOf(allowedInstruments);
    maxDeltaExposure = maxDeltaExposure == null ? "" : maxDeltaExposure;
    deniedActions = deniedActions == null ? List.of() : List.copyOf(deniedActions);
  }
}
