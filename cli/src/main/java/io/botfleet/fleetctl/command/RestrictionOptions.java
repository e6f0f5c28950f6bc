package io.botfleet.fleetctl.command;

import io.botfleet.permission.v1.Restrictions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** A bot's restrictions (permission.v1.Restrictions), for bots register and perms assign. */
public final class RestrictionOptions {

  @Option(names = "--max-order-size-usd", paramLabel = "USD", description = "Largest single order.")
  String maxOrderSizeUsd;

  @Option(
      names = "--restrict-position-usd",
      paramLabel = "USD",
      description = "Largest position after an order.")
  String maxPositionUsd;

  @Option(
      names = "--allowed-pair",
      paramLabel = "PAIR",
      description = "Allowed pair, e.g. BTC/USDT (repeat).")
  List<String> allowedPairs = new ArrayList<>();

  @Option(
      names = "--allowed-instrument",
      paramLabel = "PATTERN",
      description = "Allowed instruments, e.g. BTC-*-C (repeat).")
  List<String> allowedInstruments = new ArrayList<>();

  @Option(
      names = "--max-delta-exposure",
      paramLabel = "DELTA",
      description = "Largest absolute portfolio delta.")
  String maxDeltaExposure;

  @Option(
      names = "--deny-action",
      paramLabel = "ACTION",
      description = "An action denied though the tier grants it (repeat).")
  List<String> deniedActions = new ArrayList<>();

  /** The restrictions message. */
  Restrictions toProto() {
    Restrictions.Builder r =
        Restrictions.newBuilder()
            .addAllAllowedPairs(allowedPairs)
            .addAllAllowedInstruments(allowedInstruments)
            .addAllDeniedActions(deniedActions);
    if (maxOrderSizeUsd != null)
      r.setMaxOrderSizeUsd(Args.decimal(maxOrderSizeUsd, "--max-order-size-usd"));
    if (maxPositionUsd != null)
      r.setMaxPositionUsd(Args.decimal(maxPositionUsd, "--restrict-position-usd"));
    if (maxDeltaExposure != null)
      r.setMaxDeltaExposure(Args.decimal(maxDeltaExposure, "--max-delta-exposure"));
    return r.build();
  }
}
