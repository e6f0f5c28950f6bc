package io.botfleet.fleet.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.fleet.FleetTestSupport;
import io.botfleet.fleet.TestBot;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.botfleet.fleet.service.KeyRotationScheduler;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.BotCommand;
import io.botfleet.fleet.v1.ListEventsRequest;
import io.botfleet.fleet.v1.RotateBotKeyRequest;
import io.botfleet.fleet.v1.RotateBotKeyResponse;
import io.botfleet.identity.v1.BeginKeyRotationRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesTestResource.class)
class KeyRotationTest extends FleetTestSupport {

  @Inject KeyRotationScheduler scheduler;

  @Test
  void aBotWhoseRotationIsDueIsToldToMakeAndRegisterANewKey() {
    Bot due = register("rotate-" + unique(), "binance");
    Bot notDue = register("keep-" + unique(), "binance");
    try (TestBot dueStream = connect(due);
        TestBot otherStream = connect(notDue)) {
      fakes().identity.makeDue(due.getId());

      scheduler.rotateDue();

      List<BeginKeyRotationRequest> begun = fakes().identity.recorder.requests("BeginKeyRotation");
      BeginKeyRotationRequest rotation = begun.get(begun.size() - 1);
      assertThat(rotation.getAgentId()).isEqualTo(due.getId());
      assertThat(rotation.getReason()).isEqualTo("scheduled");
      BotCommand command = dueStream.next();
      assertThat(command.getType()).isEqualTo("rotate_key");
      var payload = command.getPayload().getFieldsMap();
      assertThat(payload.get("rotation_id").getStringValue()).isNotEmpty();
      assertThat(payload.get("key_version").getNumberValue()).isEqualTo(2);
      assertThat(payload).containsKey("deadline").doesNotContainKey("new_public_key");
      otherStream.expectNothing(Duration.ofMillis(300));

      // A rotation in progress is not begun twice.
      scheduler.rotateDue();
      dueStream.expectNothing(Duration.ofMillis(300));
    }
  }

  @Test
  void anOperatorRotatesOneBotsKeyOnDemandAndTheBotIsTold() {
    Bot bot = register("rotate-now-" + unique(), "binance");
    Bot other = register("rotate-keep-" + unique(), "binance");
    TestPrincipal operator = operator();
    try (TestBot stream = connect(bot);
        TestBot otherStream = connect(other)) {
      RotateBotKeyRequest request =
          RotateBotKeyRequest.newBuilder()
              .setName(bot.getName())
              .setReason("suspected_compromise")
              .setGracePeriod(com.google.protobuf.Duration.newBuilder().setSeconds(3600))
              .setRequestId(requestId())
              .build();

      RotateBotKeyResponse answer = fleet(operator).rotateBotKey(request);

      List<BeginKeyRotationRequest> begun = fakes().identity.recorder.requests("BeginKeyRotation");
      BeginKeyRotationRequest rotation = begun.get(begun.size() - 1);
      assertThat(rotation.getAgentId()).isEqualTo(bot.getId());
      assertThat(rotation.getReason()).isEqualTo("suspected_compromise");
      assertThat(rotation.getGracePeriod().getSeconds()).isEqualTo(3600);
      assertThat(answer.getRotationId()).isNotEmpty();
      assertThat(answer.getKeyVersion()).isEqualTo(2);
      assertThat(answer.getDeadlineTime().getSeconds()).isPositive();
      BotCommand command = stream.next();
      assertThat(command.getType()).isEqualTo("rotate_key");
      assertThat(command.getCommandId()).isEqualTo(answer.getCommandId());
      var payload = command.getPayload().getFieldsMap();
      assertThat(payload.get("rotation_id").getStringValue()).isEqualTo(answer.getRotationId());
      assertThat(payload.get("key_version").getNumberValue()).isEqualTo(2);
      assertThat(payload).containsKeys("deadline", "effective_at");
      otherStream.expectNothing(Duration.ofMillis(300));

      // A retry with the same request id answers with the first rotation and sends nothing.
      RotateBotKeyResponse retry = fleet(operator).rotateBotKey(request);
      assertThat(retry.getRotationId()).isEqualTo(answer.getRotationId());
      assertThat(retry.getCommandId()).isEqualTo(answer.getCommandId());
      assertThat(fakes().identity.recorder.requests("BeginKeyRotation")).hasSameSizeAs(begun);
      stream.expectNothing(Duration.ofMillis(300));

      // A second rotation while this one runs is refused, and the bot is not told twice.
      assertThatThrownBy(
              () ->
                  fleet(operator)
                      .rotateBotKey(
                          request.toBuilder()
                              .clearName()
                              .setBotId(bot.getId())
                              .setRequestId(requestId())
                              .build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
      stream.expectNothing(Duration.ofMillis(300));

      assertThat(
              fleet(viewer())
                  .listEvents(
                      ListEventsRequest.newBuilder()
                          .addTypes("fleet.key_rotation_started")
                          .setBotId(bot.getId())
                          .build())
                  .getEventsList())
          .singleElement()
          .satisfies(
              event -> {
                assertThat(event.getActor()).isEqualTo(operator.agentId());
                assertThat(event.getPayload().getFieldsMap().get("rotation_id").getStringValue())
                    .isEqualTo(answer.getRotationId());
              });
    }
  }

  @Test
  void rotateBotKeyRefusesViewersUnknownBotsAndBotsThatCannotActOnIt() {
    Bot pending = register("rotate-pending-" + unique(), "binance");
    int begunBefore = fakes().identity.recorder.requests("BeginKeyRotation").size();

    RotateBotKeyRequest.Builder ofPending =
        RotateBotKeyRequest.newBuilder().setBotId(pending.getId()).setReason("personnel_change");

    assertThat(code(viewer(), ofPending)).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(code(operator(), ofPending.clone().setName("no-such-" + unique())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(code(operator(), ofPending.clone().setBotId("agent-" + unique())))
        .isEqualTo(Status.Code.NOT_FOUND);
    // Registered but never connected: no key yet to rotate.
    assertThat(code(operator(), ofPending)).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(code(operator(), ofPending.clone().setReason("")))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(fakes().identity.recorder.requests("BeginKeyRotation")).hasSize(begunBefore);
  }

  private static Status.Code code(TestPrincipal who, RotateBotKeyRequest.Builder request) {
    try {
      fleet(who).rotateBotKey(request.build());
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }
}
