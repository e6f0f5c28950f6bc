package io.botfleet.fleet.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.InvalidArgumentException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns a failed call to another botfleet service into the error fleet-service's own caller should
 * see: the callee's verdict on the request (invalid, not found, exists, refused) passes through
 * with its reason and fields; anything that says "not now" (down, slow, overloaded, not yet
 * implemented, our key not accepted) becomes UNAVAILABLE, which callers treat as retryable.
 */
final class RemoteErrors {

  private RemoteErrors() {}

  /** Runs a call, translating its failure. */
  static <T> T call(String service, String rpc, Supplier<T> call) {
    try {
      return call.get();
    } catch (StatusRuntimeException e) {
      throw translate(service, rpc, e);
    }
  }

  static BotfleetException translate(String service, String rpc, StatusRuntimeException e) {
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    String description = e.getStatus().getDescription();
    String message =
        service + " " + rpc + ": " + (description == null ? "no message" : description);
    if (e.getCause() != null && e.getCause().getMessage() != null) {
      // "io exception" says little; "Connection refused: /127.0.0.1:8082" says what to fix.
      message += " (" + e.getCause().getMessage() + ")";
    }
    ErrorInfo info = details == null ? null : unpack(details, ErrorInfo.class);
    String prefix = service.replace("-service", "").toUpperCase(Locale.ROOT);
    String reason = info != null ? info.getReason() : prefix + "_" + e.getStatus().getCode();
    Map<String, String> metadata = info != null ? info.getMetadataMap() : Map.of();
    return switch (e.getStatus().getCode()) {
      case INVALID_ARGUMENT -> {
        List<InvalidArgumentException.FieldViolation> violations = new ArrayList<>();
        BadRequest badRequest = details == null ? null : unpack(details, BadRequest.class);
        if (badRequest != null) {
          badRequest
              .getFieldViolationsList()
              .forEach(
                  v ->
                      violations.add(
                          new InvalidArgumentException.FieldViolation(
                              v.getField(), v.getDescription())));
        }
        if (violations.isEmpty()) {
          violations.add(new InvalidArgumentException.FieldViolation("request", message));
        }
        yield new InvalidArgumentException(violations);
      }
      case NOT_FOUND -> BotfleetException.notFound(reason, message, metadata);
      case ALREADY_EXISTS -> BotfleetException.alreadyExists(reason, message, metadata);
      case FAILED_PRECONDITION -> BotfleetException.failedPrecondition(reason, message, metadata);
      case PERMISSION_DENIED -> BotfleetException.permissionDenied(reason, message);
      case UNAUTHENTICATED ->
          new RemoteUnavailableException(
              e.getStatus().getCode(),
              prefix + "_REFUSED_OUR_KEY",
              message + " (is fleet-service's key known to identity-service?)");
      case UNIMPLEMENTED ->
          new RemoteUnavailableException(
              e.getStatus().getCode(), prefix + "_UNIMPLEMENTED", message + " (not implemented)");
      default ->
          new RemoteUnavailableException(e.getStatus().getCode(), prefix + "_UNAVAILABLE", message);
    };
  }

  private static <T extends com.google.protobuf.Message> T unpack(
      com.google.rpc.Status status, Class<T> type) {
    for (var any : status.getDetailsList()) {
      if (any.is(type)) {
        try {
          return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }
}
