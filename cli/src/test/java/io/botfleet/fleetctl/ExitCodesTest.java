package io.botfleet.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExitCodesTest {

  @Test
  void grpcStatusesMapToTheDocumentedCodes() {
    assertThat(ExitCodes.of(Status.Code.OK)).isZero();
    assertThat(ExitCodes.of(Status.Code.INVALID_ARGUMENT)).isEqualTo(2);
    assertThat(ExitCodes.of(Status.Code.OUT_OF_RANGE)).isEqualTo(2);
    assertThat(ExitCodes.of(Status.Code.NOT_FOUND)).isEqualTo(3);
    assertThat(ExitCodes.of(Status.Code.PERMISSION_DENIED)).isEqualTo(4);
    assertThat(ExitCodes.of(Status.Code.UNAUTHENTICATED)).isEqualTo(4);
    assertThat(ExitCodes.of(Status.Code.UNAVAILABLE)).isEqualTo(5);
    assertThat(ExitCodes.of(Status.Code.DEADLINE_EXCEEDED)).isEqualTo(5);
    assertThat(ExitCodes.of(Status.Code.RESOURCE_EXHAUSTED)).isEqualTo(5);
    assertThat(ExitCodes.of(Status.Code.ABORTED)).isEqualTo(5);
    assertThat(ExitCodes.of(Status.Code.ALREADY_EXISTS)).isEqualTo(6);
    assertThat(ExitCodes.of(Status.Code.FAILED_PRECONDITION)).isEqualTo(6);
    assertThat(ExitCodes.of(Status.Code.UNIMPLEMENTED)).isEqualTo(1);
    assertThat(ExitCodes.of(Status.Code.INTERNAL)).isEqualTo(1);
  }

  @Test
  void notFoundDeniedAndUnavailableAreDistinct() {
    Set<Integer> codes =
        new HashSet<>(
            List.of(
                ExitCodes.OK,
                ExitCodes.ERROR,
                ExitCodes.INVALID_INPUT,
                ExitCodes.NOT_FOUND,
                ExitCodes.DENIED,
                ExitCodes.UNAVAILABLE,
                ExitCodes.CONFLICT,
                ExitCodes.NOT_CONFIRMED,
                ExitCodes.UNSUCCESSFUL));
    assertThat(codes).hasSize(9);
  }

  @Test
  void theHelpTableListsEveryCode() {
    for (int code = 0; code <= 8; code++) {
      assertThat(ExitCodes.HELP).contains("\n  " + code + "  ");
    }
  }
}
