package io.botfleet.billing.grpc;

import io.botfleet.billing.domain.FillInput;
import java.time.Instant;
import java.util.List;

/** Translates the fills of a ReportFills message, unchecked, so each can be refused on its own. */
final class FillMapper {

  private FillMapper() {}

  static List<FillInput> toFillInputs(List<io.botfleet.billing.v1.Fill> fills) {
    return fills.stream()
        .map(
            f ->
                new FillInput(
                    f.getFillId(),
                    f.getExchange(),
                    f.getPair(),
                    switch (f.getSide()) {
                      case SIDE_BUY -> "BUY";
                      case SIDE_SELL -> "SELL";
                      default -> "";
                    },
                    f.getSize(),
                    f.getPrice(),
                    f.getFee(),
                    f.getFeeCurrency(),
                    f.getFeeUsd(),
                    f.hasFillTime()
                        ? Instant.ofEpochSecond(
                            f.getFillTime().getSeconds(), f.getFillTime().getNanos())
                        : null,
                    f.getRealizedPnlUsd()))
        .toList();
  }
}
