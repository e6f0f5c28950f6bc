package io.botfleet.fleetctl.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.ResourceInfo;
import io.botfleet.fleetctl.ExitCodes;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A failed call, readable: the status code, the service's message, the ErrorInfo reason with its
 * metadata, and every BadRequest field violation, plus which service at which address answered.
 *
 * @param code the gRPC status code
 * @param message the service's message
 * @param reason the ErrorInfo reason, or null
 * @param metadata the ErrorInfo metadata (ids)
 * @param violations "field: description" lines of BadRequest
 * @param service the service called (e.g. "identity-service"), or null
 * @param endpoint its address, or null
 */
public record GrpcFailure(
    Status.Code code,
    String message,
    String reason,
    Map<String, String> metadata,
    List<String> violations,
    String service,
    String endpoint) {

  /** Reads a failure from a status exception. */
  public static GrpcFailure of(StatusRuntimeException e) {
    Status status = e.getStatus();
    String reason = null;
    Map<String, String> metadata = new TreeMap<>();
    List<String> violations = new ArrayList<>();
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    if (details != null) {
      for (Any any : details.getDetailsList()) {
        try {
          if (any.is(ErrorInfo.class)) {
            ErrorInfo info = any.unpack(ErrorInfo.class);
            reason = info.getReason();
            metadata.putAll(info.getMetadataMap());
          } else if (any.is(BadRequest.class)) {
            for (BadRequest.FieldViolation v :
                any.unpack(BadRequest.class).getFieldViolationsList()) {
              violations.add(v.getField() + ": " + v.getDescription());
            }
          } else if (any.is(PreconditionFailure.class)) {
            for (PreconditionFailure.Violation v :
                any.unpack(PreconditionFailure.class).getViolationsList()) {
              violations.add(v.getSubject() + ": " + v.getDescription());
            }
          } else if (any.is(ResourceInfo.class)) {
            ResourceInfo info = any.unpack(ResourceInfo.class);
            metadata.put(info.getResourceType(), info.getResourceName());
          }
        } catch (InvalidProtocolBufferException ignored) {
          // A detail we cannot read: the code and message still say what happened.
        }
      }
    }
    Metadata trailers = e.getTrailers();
    String service = trailers == null ? null : trailers.get(ServiceContextInterceptor.SERVICE);
    String endpoint = trailers == null ? null : trailers.get(ServiceContextInterceptor.ENDPOINT);
    String message = status.getDescription();
    if (message == null && status.getCause() != null) {
      message = status.getCause().getMessage();
    }
    return new GrpcFailure(
        status.getCode(),
        message == null ? "" : message,
        reason,
        metadata,
        violations,
        service,
        endpoint);
  }

  /** The exit code of this failure. */
  public int exitCode() {
    return ExitCodes.of(code);
  }

  /** The lines to print on the error stream. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    String where = service == null ? "" : " (" + service + " at " + endpoint + ")";
    lines.add(code.name() + where + ": " + (message.isEmpty() ? hint() : message));
    if (reason != null && !reason.isEmpty()) {
      StringBuilder line = new StringBuilder("  reason: ").append(reason);
      metadata.forEach((k, v) -> line.append("  ").append(k).append('=').append(v));
      lines.add(line.toString());
    }
    violations.forEach(v -> lines.add("  invalid " + v));
    String next = nextStep();
    if (next != null) {
      lines.add("  " + next);
    }
    return lines;
  }

  private String hint() {
    return switch (code) {
      case UNAVAILABLE -> "the service does not answer";
      case DEADLINE_EXCEEDED -> "no answer within the deadline";
      default -> code.name().toLowerCase();
    };
  }

  private String nextStep() {
    return switch (code) {
      case UNAVAILABLE ->
          "Is it running and is the endpoint right? `fleetctl config show`; `fleetctl status`.";
      case DEADLINE_EXCEEDED ->
          "It may still have happened: check before retrying, or retry with the same"
              + " --request-id; a longer --timeout may help.";
      case UNAUTHENTICATED ->
          "Your key was not accepted: is it enrolled (`fleetctl init`), not revoked, and is this"
              + " machine's clock right (30 s window)?";
      case UNIMPLEMENTED ->
          "This RPC is not implemented by the service at that address (an older or unfinished"
              + " version).";
      default -> null;
    };
  }
}
