package io.botfleet.fleet.grpc;

import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Value;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.fleet.FleetTestSupport;
import io.botfleet.fleet.TestBot;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.botfleet.fleet.v1.AckState;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.BotCommand;
import io.botfleet.fleet.v1.BotStatus;
import io.botfleet.fleet.v1.DeregisterBotRequest;
import io.botfleet.fleet.v1.DeregisterBotResponse;
import io.botfleet.fleet.v1.ListEventsRequest;
import io.botfleet.fleet.v1.RevokeBotRequest;
import io.botfleet.fleet.v1.RevokeBotResponse;
import io.botfleet.identity.v1.IdentityStatus;
import io.botfleet.identity.v1.RevokeIdentityRequest;
import io.botfleet.permission.v1.SuspendBotRequest;
import io.botfleet.permission.v1.SuspensionMode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesTestResource.class)
class LifecycleTest extends FleetTestSupport {

  @Test
  void aDeregisteredBotIsToldToShutDownAndLeavesWhenItAcknowledges() {
    Bot bot = register("leaving-" + unique(), "binance");
    try (TestBot stream = connect(bot)) {
      DeregisterBotResponse answer =
          fleet(admin())
              .deregisterBot(
                  DeregisterBotRequest.newBuilder()
                      .setBotId(bot.getId())
                      .setRequestId(requestId())
                      .build());

      assertThat(answer.getBot().getStatus()).isEqualTo(BotStatus.BOT_STATUS_DEREGISTERING);
      BotCommand shutdown = stream.next();
      assertThat(shutdown.getType()).isEqualTo("shutdown");
      assertThat(shutdown.getPayload().getFieldsMap().get("reason").getStringValue())
          .isEqualTo("deregistered_from_fleet");
      assertThat(shutdown.getPayload().getFieldsMap().get("grace_period_seconds").getNumberValue())
          .isEqualTo(30);
      // Well inside the 30 s grace period: the acknowledgement finishes it.
      stream.ack(shutdown, AckState.ACK_STATE_DONE);
      awaitStatus(bot.getId(), BotStatus.BOT_STATUS_DEREGISTERED);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(fakes().identity.identity(bot.getId()).getStatus())
                  .isEqualTo(IdentityStatus.IDENTITY_STATUS_REVOKED);
              assertThat(fakes().health.tracked(bot.getId())).isNull();
              assertThat(fakes().permission.assigned(bot.getId())).isFalse();
            });
  }

  @Test
  void aBotThatNeverAcknowledgesLeavesAfterTheGracePeriod() {
    Bot bot = register("silent-" + unique(), "okx");
    fleet(admin())
        .deregisterBot(
            DeregisterBotRequest.newBuilder()
                .setBotId(bot.getId())
                .setGracePeriodSeconds(1)
                .setRequestId(requestId())
                .build());

    assertThat(get(bot.getId()).getStatus()).isEqualTo(BotStatus.BOT_STATUS_DEREGISTERING);
    awaitStatus(bot.getId(), BotStatus.BOT_STATUS_DEREGISTERED);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                fakes().identity.identity(bot.getId()).getStatus()
                    == IdentityStatus.IDENTITY_STATUS_REVOKED);
    assertThatThrownBy(
            () ->
                fleet(admin())
                    .deregisterBot(DeregisterBotRequest.newBuilder().setBotId(bot.getId()).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
  }

  @Test
  void revokingACompromisedBotStopsItDestroysItsKeysAndTouchesNoOtherBot() {
    String group = "compromise-" + unique();
    Bot compromised = register(group, "binance");
    Bot neighbour = register(group, "binance");
    int suspendCalls = fakes().permission.recorder.requests("SuspendBot").size();
    try (TestBot bad = connect(compromised).autoAck(AckState.ACK_STATE_DONE);
        TestBot good = connect(neighbour).autoAck(AckState.ACK_STATE_DONE)) {

      RevokeBotResponse answer =
          fleet(operator())
              .revokeBot(
                  RevokeBotRequest.newBuilder()
                      .setBotId(compromised.getId())
                      .setReason("key leaked in a paste")
                      .setRequestId(requestId())
                      .build());

      assertThat(answer.getBot().getStatus()).isEqualTo(BotStatus.BOT_STATUS_REVOKED);
      BotCommand stop = bad.next();
      assertThat(stop.getType()).isEqualTo("emergency_stop");
      assertThat(stop.getPayload().getFieldsMap().get("reason").getStringValue())
          .isEqualTo("identity_revoked: key leaked in a paste");
      assertThat(stop.getPayload().getFieldsMap().get("actions").getListValue().getValuesList())
          .extracting(Value::getStringValue)
          .containsExactly(
              "cancel_all_open_orders",
              "close_all_positions_market",
              "halt_trading_loop",
              "destroy_local_keys");
      List<SuspendBotRequest> suspensions = fakes().permission.recorder.requests("SuspendBot");
      assertThat(suspensions.subList(suspendCalls, suspensions.size()))
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.getAgentIdsList()).containsExactly(compromised.getId());
                assertThat(s.getMode()).isEqualTo(SuspensionMode.SUSPENSION_MODE_STOPPED);
              });
      assertThat(fakes().identity.identity(compromised.getId()).getStatus())
          .isEqualTo(IdentityStatus.IDENTITY_STATUS_REVOKED);
      List<RevokeIdentityRequest> revoked = fakes().identity.recorder.requests("RevokeIdentity");
      assertThat(revoked)
          .extracting(RevokeIdentityRequest::getAgentId)
          .doesNotContain(neighbour.getId());
      good.expectNothing(Duration.ofMillis(300));
      assertThat(get(neighbour.getId()).getStatus()).isEqualTo(BotStatus.BOT_STATUS_ACTIVE);
      assertThat(fakes().permission.suspension(neighbour.getId()))
          .isEqualTo(SuspensionMode.SUSPENSION_MODE_UNSPECIFIED);
      var event =
          fleet(viewer())
              .listEvents(
                  ListEventsRequest.newBuilder()
                      .addTypes("fleet.identity_revoked")
                      .setBotId(compromised.getId())
                      .build())
              .getEvents(0);
      assertThat(event.getPayload().getFieldsMap().get("reason").getStringValue())
          .isEqualTo("key leaked in a paste");
      assertThat(event.getPayload().getFieldsMap())
          .containsKeys("revoked_agent_id", "bot_name", "revoked_at", "key_version_revoked");
    }
  }

  @Test
  void whenIdentityCannotRevokeYetTheOperatorIsToldAndARetryFinishes() {
    Bot bot = register("stubborn-" + unique(), "okx");
    fakes().identity.recorder.failNext("RevokeIdentity", 100, Status.UNAVAILABLE);
    RevokeBotRequest request =
        RevokeBotRequest.newBuilder()
            .setBotId(bot.getId())
            .setReason("suspected compromise")
            .setRequestId(requestId())
            .build();
    try {
      assertThatThrownBy(() -> fleet(operator()).revokeBot(request))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(errorInfo(e).getReason()).isEqualTo("IDENTITY_REVOCATION_PENDING");
              });
      // Stopped and suspended already, whatever identity-service does.
      assertThat(get(bot.getId()).getStatus()).isEqualTo(BotStatus.BOT_STATUS_REVOKED);
      assertThat(fakes().permission.suspension(bot.getId()))
          .isEqualTo(SuspensionMode.SUSPENSION_MODE_STOPPED);
    } finally {
      fakes().identity.recorder.heal();
    }

    RevokeBotResponse retried = fleet(operator()).revokeBot(request);

    assertThat(retried.getBot().getStatus()).isEqualTo(BotStatus.BOT_STATUS_REVOKED);
    assertThat(fakes().identity.identity(bot.getId()).getStatus())
        .isEqualTo(IdentityStatus.IDENTITY_STATUS_REVOKED);
  }

  @Test
  void aRevokedBotCannotBeRevokedOrStoppedAgain() {
    Bot bot = register("twice-" + unique(), "okx");
    fleet(operator())
        .revokeBot(
            RevokeBotRequest.newBuilder()
                .setBotId(bot.getId())
                .setReason("leak")
                .setRequestId(requestId())
                .build());

    assertThatThrownBy(
            () ->
                fleet(operator())
                    .revokeBot(
                        RevokeBotRequest.newBuilder()
                            .setBotId(bot.getId())
                            .setReason("leak")
                            .setRequestId(requestId())
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(errorInfo(e).getReason()).isEqualTo("BOT_NOT_IN_FLEET");
            });
  }
}
