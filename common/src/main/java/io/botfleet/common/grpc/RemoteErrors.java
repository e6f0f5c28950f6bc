package io.botfleet.common.grpc;

import com.google.rpc.ErrorInfo;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.InvalidArgumentException;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns a failed call to another botfleet service into the error our own caller should see: the
 * callee's verdict on the request (invalid, not found, exists, refused) passes through with its
 * reason, metadata and fields; anything that says "not now" (down, slow, overloaded, not yet
 * implemented, our key not accepted) becomes a {@link RemoteUnavailableException} (UNAVAILABLE),
 * which callers treat as retryable. Reasons without the callee's own are {@code <CALLEE>_<CODE>},
 * e.g. {@code DEPLOY_UNAVAILABLE} for deploy-service.
 */
public final class RemoteErrors {

  private final String caller;

  /**
   * For calls made by {@code caller} (e.g. "fleet-service"), named in the hint of a refused key.
   */
  public RemoteErrors(String caller) {
    this.caller = caller;
  }

  /** Runs a call to {@code callee} (e.g. "health-service"), translating its failure. */
  public <T> T call(String callee, String rpc, Supplier<T> call) {
    try {
      return call.get();
    } catch (StatusRuntimeException e) {
      throw translate(callee, rpc, e);
    }
  }

  /** The error a failed call to {@code callee}'s {@code rpc} stands for. */
  public BotfleetException translate(String callee, String rpc, StatusRuntimeException e) {
    GrpcErrors.Details details = GrpcErrors.Details.of(e);
    String description = e.getStatus().getDescription();
    String message = callee + " " + rpc + ": " + (description == null ? "no message" : description);
    if (e.getCause() != null && e.getCause().getMessage() != null) {
      // "io exception" says little; "Connection refused: /127.0.0.1:8082" says what to fix.
      message += " (" + e.getCause().getMessage() + ")";
    }
    ErrorInfo info = details.info();
    String prefix = callee.replace("-service", "").toUpperCase(Locale.ROOT);
    String reason = info != null ? info.getReason() : prefix + "_" + e.getStatus().getCode();
    Map<String, String> metadata = info != null ? info.getMetadataMap() : Map.of();
    return switch (e.getStatus().getCode()) {
      case INVALID_ARGUMENT ->
          new InvalidArgumentException(
              details.violations().isEmpty()
                  ? List.of(new InvalidArgumentException.FieldViolation("request", message))
                  : details.violations());
      case NOT_FOUND -> BotfleetException.notFound(reason, message, metadata);
      case ALREADY_EXISTS -> BotfleetException.alreadyExists(reason, message, metadata);
      case FAILED_PRECONDITION -> BotfleetException.failedPrecondition(reason, message, metadata);
      case PERMISSION_DENIED -> BotfleetException.permissionDenied(reason, message);
      case UNAUTHENTICATED ->
          new RemoteUnavailableException(
              e.getStatus().getCode(),
              prefix + "_REFUSED_OUR_KEY",
              message + " (is " + caller + "'s key known to identity-service?)");
      case UNIMPLEMENTED ->
          new RemoteUnavailableException(
              e.getStatus().getCode(), prefix + "_UNIMPLEMENTED", message + " (not implemented)");
      default ->
          new RemoteUnavailableException(e.getStatus().getCode(), prefix + "_UNAVAILABLE", message);
    };
  }
}
