package io.botfleet.common.grpc;

import io.botfleet.common.error.BotfleetException;
import io.grpc.Status;
import java.util.Map;

/**
 * A callee that could not answer (down, too slow, not implemented, refusing our key): UNAVAILABLE
 * for our own gRPC callers, who retry, with the callee's own status kept so that the REST gateway
 * can answer 504 for a deadline and 501 for an RPC not implemented yet.
 */
public final class RemoteUnavailableException extends BotfleetException {

  private final Status.Code remoteCode;

  RemoteUnavailableException(Status.Code remoteCode, String reason, String message) {
    super(Kind.UNAVAILABLE, reason, message, Map.of("remote_status", remoteCode.name()));
    this.remoteCode = remoteCode;
  }

  /** The status the callee (or our deadline) ended the call with. */
  public Status.Code remoteCode() {
    return remoteCode;
  }
}
