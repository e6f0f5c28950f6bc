package io.botfleet.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.InvalidArgumentException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A callee's error, encoded as every botfleet service encodes it ({@link GrpcErrors}), reaches our
 * own caller with its verdict intact; "not now" becomes a retryable UNAVAILABLE.
 */
class RemoteErrorsTest {

  final RemoteErrors errors = new RemoteErrors("fleet-service");

  @Test
  void aCalleesVerdictPassesThroughWithItsReasonMetadataAndFields() {
    BotfleetException notFound =
        translate(BotfleetException.notFound("BOT_NOT_FOUND", "no bot x", Map.of("bot_id", "x")));
    assertThat(notFound.kind()).isEqualTo(BotfleetException.Kind.NOT_FOUND);
    assertThat(notFound.reason()).isEqualTo("BOT_NOT_FOUND");
    assertThat(notFound.metadata()).containsEntry("bot_id", "x");
    assertThat(notFound.getMessage()).startsWith("deploy-service GetDeployment: ");

    BotfleetException invalid =
        translate(
            new InvalidArgumentException(
                List.of(
                    new InvalidArgumentException.FieldViolation("group", "required"),
                    new InvalidArgumentException.FieldViolation("version", "not semver"))));
    assertThat(invalid)
        .isInstanceOfSatisfying(
            InvalidArgumentException.class,
            e ->
                assertThat(e.violations())
                    .extracting(InvalidArgumentException.FieldViolation::field)
                    .containsExactly("group", "version"));

    assertThat(translate(BotfleetException.permissionDenied("TOKEN_USED", "used")).kind())
        .isEqualTo(BotfleetException.Kind.PERMISSION_DENIED);
  }

  @Test
  void notNowIsRetryableUnavailableKeepingTheCalleesCode() {
    BotfleetException slow =
        errors.translate(
            "deploy-service",
            "GetDeployment",
            Status.DEADLINE_EXCEEDED.withDescription("deadline").asRuntimeException());
    assertThat(slow)
        .isInstanceOfSatisfying(
            RemoteUnavailableException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(BotfleetException.Kind.UNAVAILABLE);
              assertThat(e.reason()).isEqualTo("DEPLOY_UNAVAILABLE");
              assertThat(e.remoteCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
              assertThat(e.metadata()).containsEntry("remote_status", "DEADLINE_EXCEEDED");
            });

    BotfleetException down =
        errors.translate(
            "health-service",
            "TrackBot",
            Status.UNAVAILABLE
                .withDescription("io exception")
                .withCause(new ConnectException("Connection refused: /127.0.0.1:8083"))
                .asRuntimeException());
    assertThat(down.reason()).isEqualTo("HEALTH_UNAVAILABLE");
    assertThat(down.getMessage()).contains("Connection refused: /127.0.0.1:8083");

    BotfleetException refusedKey =
        errors.translate(
            "identity-service",
            "GetIdentity",
            Status.UNAUTHENTICATED.withDescription("unknown agent").asRuntimeException());
    assertThat(refusedKey.kind()).isEqualTo(BotfleetException.Kind.UNAVAILABLE);
    assertThat(refusedKey.reason()).isEqualTo("IDENTITY_REFUSED_OUR_KEY");
    assertThat(refusedKey.getMessage()).contains("fleet-service's key");

    assertThat(
            errors
                .translate("billing-service", "X", Status.UNIMPLEMENTED.asRuntimeException())
                .reason())
        .isEqualTo("BILLING_UNIMPLEMENTED");
  }

  @Test
  void callThrowsTheTranslationAndReturnsAnAnswer() {
    assertThat(errors.call("deploy-service", "GetDeployment", () -> "answer")).isEqualTo("answer");
    assertThatThrownBy(
            () ->
                errors.call(
                    "deploy-service",
                    "GetDeployment",
                    () -> {
                      throw Status.UNAVAILABLE.asRuntimeException();
                    }))
        .isInstanceOf(RemoteUnavailableException.class);
  }

  private BotfleetException translate(BotfleetException atTheCallee) {
    StatusRuntimeException wire = GrpcErrors.toStatusException(atTheCallee);
    return errors.translate("deploy-service", "GetDeployment", wire);
  }
}
