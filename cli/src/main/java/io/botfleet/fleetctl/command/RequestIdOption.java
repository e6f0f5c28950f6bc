package io.botfleet.fleetctl.command;

import java.util.UUID;
import picocli.CommandLine.Option;

/**
 * The idempotency key of a mutation. A new one is made per run; to retry a call whose answer was
 * lost (exit 5), run the same command with the request id it printed, and it happens once.
 */
public final class RequestIdOption {

  @Option(
      names = "--request-id",
      paramLabel = "ID",
      description =
          "Idempotency key (default: a new UUID, printed on stderr). Retry a call whose"
              + " answer was lost with the same id: it happens once.")
  String requestId;

  private String generated;

  /** The given id, or one made for this run. */
  public String get() {
    if (requestId != null && !requestId.isBlank()) {
      return requestId;
    }
    if (generated == null) {
      generated = UUID.randomUUID().toString();
    }
    return generated;
  }
}
