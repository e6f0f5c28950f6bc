package io.botfleet.common.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.InvalidArgumentException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.logging.Log;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps failures to gRPC statuses: a {@link BotfleetException} to its canonical code with a {@code
 * google.rpc.ErrorInfo} (reason, domain, metadata) and, for invalid input, a {@code
 * google.rpc.BadRequest} naming every field; anything else is a bug: INTERNAL with a generic
 * message, its stack trace logged once.
 */
public final class GrpcErrors {

  /** The ErrorInfo domain of every botfleet error. */
  public static final String DOMAIN = "botfleet.io";

  private GrpcErrors() {}

  /** The status exception to close a call with. */
  public static StatusRuntimeException toStatusException(Throwable failure) {
    if (failure instanceof StatusRuntimeException sre) {
      return sre;
    }
    if (failure instanceof StatusException se) {
      return se.getStatus().asRuntimeException(se.getTrailers());
    }
    if (failure instanceof BotfleetException be) {
      return fromBotfleet(be);
    }
    Log.errorf(failure, "Unexpected failure, answered INTERNAL");
    return Status.INTERNAL
        .withDescription("internal error; see the service log")
        .asRuntimeException();
  }

  /**
   * What a botfleet error carries, read back from a failed call: its ErrorInfo (null when the
   * callee sent none) and its BadRequest field violations (empty when none). Details that cannot be
   * read are skipped.
   */
  public record Details(ErrorInfo info, List<InvalidArgumentException.FieldViolation> violations) {

    /** The details of a failed call. */
    public static Details of(StatusRuntimeException failure) {
      com.google.rpc.Status status = StatusProto.fromThrowable(failure);
      ErrorInfo info = null;
      List<InvalidArgumentException.FieldViolation> violations = new ArrayList<>();
      for (Any any : status == null ? List.<Any>of() : status.getDetailsList()) {
        try {
          if (info == null && any.is(ErrorInfo.class)) {
            info = any.unpack(ErrorInfo.class);
          } else if (any.is(BadRequest.class)) {
            for (BadRequest.FieldViolation v :
                any.unpack(BadRequest.class).getFieldViolationsList()) {
              violations.add(
                  new InvalidArgumentException.FieldViolation(v.getField(), v.getDescription()));
            }
          }
        } catch (InvalidProtocolBufferException unreadable) {
          // A detail we cannot read leaves the generic reason or fields.
        }
      }
      return new Details(info, List.copyOf(violations));
    }
  }

  private static StatusRuntimeException fromBotfleet(BotfleetException e) {
    com.google.rpc.Status.Builder status =
        com.google.rpc.Status.newBuilder()
            .setCode(code(e.kind()).value())
            .setMessage(e.getMessage() == null ? e.reason() : e.getMessage())
            .addDetails(
                Any.pack(
                    ErrorInfo.newBuilder()
                        .setReason(e.reason())
                        .setDomain(DOMAIN)
                        .putAllMetadata(e.metadata())
                        .build()));
    if (e instanceof InvalidArgumentException invalid) {
      BadRequest.Builder badRequest = BadRequest.newBuilder();
      invalid
          .violations()
          .forEach(
              v ->
                  badRequest.addFieldViolations(
                      BadRequest.FieldViolation.newBuilder()
                          .setField(v.field())
                          .setDescription(v.description())));
      status.addDetails(Any.pack(badRequest.build()));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  private static Status.Code code(BotfleetException.Kind kind) {
    return switch (kind) {
      case NOT_FOUND -> Status.Code.NOT_FOUND;
      case ALREADY_EXISTS -> Status.Code.ALREADY_EXISTS;
      case INVALID_ARGUMENT -> Status.Code.INVALID_ARGUMENT;
      case FAILED_PRECONDITION -> Status.Code.FAILED_PRECONDITION;
      case PERMISSION_DENIED -> Status.Code.PERMISSION_DENIED;
      case UNAUTHENTICATED -> Status.Code.UNAUTHENTICATED;
      case UNAVAILABLE -> Status.Code.UNAVAILABLE;
    };
  }
}
