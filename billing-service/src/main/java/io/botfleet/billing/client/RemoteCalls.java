package io.botfleet.billing.client;

import io.botfleet.common.error.BotfleetException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import java.util.Set;

/** How a failed call to another service is reported to billing's own code. */
final class RemoteCalls {

  /** Answers that say the request itself is wrong: retrying it can never succeed. */
  private static final Set<Status.Code> PERMANENT =
      Set.of(
          Status.Code.NOT_FOUND,
          Status.Code.INVALID_ARGUMENT,
          Status.Code.FAILED_PRECONDITION,
          Status.Code.ALREADY_EXISTS,
          Status.Code.OUT_OF_RANGE);

  private RemoteCalls() {}

  /**
   * UNAVAILABLE (retry later) for an outage, a deadline, a refusal of billing's credentials or an
   * RPC the callee does not implement yet (both fixed by configuration or an upgrade, so worth
   * retrying); FAILED_PRECONDITION with reason {@code <SERVICE>_REFUSED} when the callee says the
   * request is wrong.
   */
  static BotfleetException failure(String service, String what, StatusRuntimeException e) {
    String detail = e.getStatus().getCode() + ": " + e.getStatus().getDescription();
    if (PERMANENT.contains(e.getStatus().getCode())) {
      return BotfleetException.failedPrecondition(
          service.toUpperCase() + "_REFUSED",
          service + "-service refused " + what + " (" + detail + ")",
          Map.of("service", service, "code", e.getStatus().getCode().name()));
    }
    return BotfleetException.unavailable(
        service.toUpperCase() + "_UNAVAILABLE",
        service + "-service did not answer " + what + " (" + detail + "); retry later");
  }

  /** True if a lookup failed because there is no such thing (or the id is not one). */
  static boolean isNoSuchBot(StatusRuntimeException e) {
    return e.getStatus().getCode() == Status.Code.NOT_FOUND
        || e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT;
  }
}
