package io.botfleet.devkit;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;

/** Reads the error details botfleet attaches to a failed call, for assertions. */
public final class StatusDetails {

  private StatusDetails() {}

  /** The ErrorInfo of a failure (AssertionError if it has none). */
  public static ErrorInfo errorInfo(StatusRuntimeException e) {
    return details(e, ErrorInfo.class).stream()
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ErrorInfo in " + e));
  }

  /** The fields named by the failure's BadRequest, sorted. */
  public static List<String> badRequestFields(StatusRuntimeException e) {
    return details(e, BadRequest.class).stream()
        .flatMap(b -> b.getFieldViolationsList().stream())
        .map(BadRequest.FieldViolation::getField)
        .sorted()
        .toList();
  }

  private static <T extends Message> List<T> details(StatusRuntimeException e, Class<T> type) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null) {
      return List.of();
    }
    return status.getDetailsList().stream()
        .filter(d -> d.is(type))
        .map(d -> unpack(d, type))
        .toList();
  }

  private static <T extends Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("malformed " + type.getSimpleName(), e);
    }
  }
}
