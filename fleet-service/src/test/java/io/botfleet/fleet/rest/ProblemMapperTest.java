package io.botfleet.fleet.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gRPC → HTTP status table of docs/rest-gateway.md, for every code. */
class ProblemMapperTest {

  @Test
  void everyGrpcCodeHasTheDocumentedHttpStatus() {
    Map<Status.Code, Integer> expected = new EnumMap<>(Status.Code.class);
    expected.put(Status.Code.OK, 200);
    expected.put(Status.Code.INVALID_ARGUMENT, 400);
    expected.put(Status.Code.OUT_OF_RANGE, 400);
    expected.put(Status.Code.UNAUTHENTICATED, 401);
    expected.put(Status.Code.PERMISSION_DENIED, 403);
    expected.put(Status.Code.NOT_FOUND, 404);
    expected.put(Status.Code.ALREADY_EXISTS, 409);
    expected.put(Status.Code.FAILED_PRECONDITION, 409);
    expected.put(Status.Code.ABORTED, 409);
    expected.put(Status.Code.RESOURCE_EXHAUSTED, 429);
    expected.put(Status.Code.CANCELLED, 499);
    expected.put(Status.Code.UNKNOWN, 500);
    expected.put(Status.Code.INTERNAL, 500);
    expected.put(Status.Code.DATA_LOSS, 500);
    expected.put(Status.Code.UNIMPLEMENTED, 501);
    expected.put(Status.Code.UNAVAILABLE, 503);
    expected.put(Status.Code.DEADLINE_EXCEEDED, 504);

    assertThat(expected).hasSize(Status.Code.values().length);
    expected.forEach(
        (code, http) -> assertThat(ProblemMapper.httpStatus(code)).as(code.name()).isEqualTo(http));
  }
}
