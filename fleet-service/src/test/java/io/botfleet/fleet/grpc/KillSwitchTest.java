package io.botfleet.fleet.grpc;

import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.fleet.FleetTestSupport;
import io.botfleet.fleet.TestBot;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.botfleet.fleet.v1.AckState;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.BotCommand;
import io.botfleet.fleet.v1.BotStatus;
import io.botfleet.fleet.v1.EmergencyStopRequest;
import io.botfleet.fleet.v1.EmergencyStopResponse;
import io.botfleet.fleet.v1.ListEventsRequest;
import io.botfleet.fleet.v1.PauseBotsRequest;
import io.botfleet.fleet.v1.PauseBotsResponse;
import io.botfleet.fleet.v1.ResumeBotsRequest;
import io.botfleet.fleet.v1.ResumeBotsResponse;
import io.botfleet.permission.v1.SuspendBotRequest;
import io.botfleet.permission.v1.SuspensionMode;
import io.botfleet.permission.v1.UnsuspendBotRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesTestResource.class)
class KillSwitchTest extends FleetTestSupport {

  /** The guide's example fleet, in groups unique to one test. */
  private Map<String, List<Bot>> guideFleet(String suffix) {
    Map<String, List<Bot>> fleet = new LinkedHashMap<>();
    String[] spot = {"binance", "binance", "okx"};
    String[] perp = {"binance", "bybit", "okx", "deribit", "binance"};
    fleet.put("spot-arb", new ArrayList<>());
    fleet.put("perp-momentum", new ArrayList<>());
    fleet.put("options-mm", new ArrayList<>());
    for (int i = 0; i < 3; i++) {
      fleet
          .get("spot-arb")
          .add(
              register(
                  botRequest(
                      String.format("spot-arb-%02d-%s", i + 1, suffix),
                      "spot-arb-" + suffix,
                      spot[i])));
    }
    for (int i = 0; i < 5; i++) {
      fleet
          .get("perp-momentum")
          .add(
              register(
                  botRequest(
                          String.format("perp-momentum-%02d-%s", i + 1, suffix),
                          "perp-momentum-" + suffix,
                          perp[i])
                      .setStrategy("trend-following-perps")
                      .setVersion("1.8.3")
                      .setMaxPositionUsd("25000")));
    }
    for (int i = 0; i < 4; i++) {
      fleet
          .get("options-mm")
          .add(
              register(
                  botRequest(
                          String.format("options-mm-%02d-%s", i + 1, suffix),
                          "options-mm-" + suffix,
                          "deribit")
                      .setStrategy("delta-neutral-mm")
                      .setVersion("3.1.0")
                      .addAllCapabilities(List.of("trading", "metrics_reporting", "options_greeks"))
                      .setMaxPositionUsd("50000")));
    }
    return fleet;
  }

  @Test
  void anEmergencyStopOfOneCompromisedSpotArbBotTouchesNoOtherBot() {
    String suffix = unique();
    Map<String, List<Bot>> fleet = guideFleet(suffix);
    List<Bot> all = fleet.values().stream().flatMap(List::stream).toList();
    Map<String, TestBot> streams = new LinkedHashMap<>();
    all.forEach(b -> streams.put(b.getId(), connect(b).autoAck(AckState.ACK_STATE_DONE)));
    Bot compromised = fleet.get("spot-arb").get(1);
    int suspendCalls = fakes().permission.recorder.requests("SuspendBot").size();

    try {
      EmergencyStopResponse answer =
          fleet(operator())
              .emergencyStop(
                  EmergencyStopRequest.newBuilder()
                      .setScope(bots(compromised.getId()))
                      .setReason("anomalous_behavior_detected")
                      .setRequestId(requestId())
                      .build());

      assertThat(answer.getBotIdsList()).containsExactly(compromised.getId());
      BotCommand stop = streams.get(compromised.getId()).next();
      assertThat(stop.getType()).isEqualTo("emergency_stop");
      assertThat(stop.getPayload().getFieldsMap().get("reason").getStringValue())
          .isEqualTo("anomalous_behavior_detected");
      awaitStatus(compromised.getId(), BotStatus.BOT_STATUS_STOPPED);
      // Enforcement: exactly this bot suspended, STOPPED.
      List<SuspendBotRequest> suspensions = fakes().permission.recorder.requests("SuspendBot");
      assertThat(suspensions.subList(suspendCalls, suspensions.size()))
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.getAgentIdsList()).containsExactly(compromised.getId());
                assertThat(s.getMode()).isEqualTo(SuspensionMode.SUSPENSION_MODE_STOPPED);
              });
      // Every other bot: still active, received nothing, not suspended.
      for (Bot other : all) {
        if (other.getId().equals(compromised.getId())) {
          continue;
        }
        streams.get(other.getId()).expectNothing(Duration.ofMillis(50));
        assertThat(get(other.getId()).getStatus()).isEqualTo(BotStatus.BOT_STATUS_ACTIVE);
        assertThat(fakes().permission.suspension(other.getId()))
            .isEqualTo(SuspensionMode.SUSPENSION_MODE_UNSPECIFIED);
      }
      // The guide's event: fleet.emergency_stop {reason, bots_affected, bot_ids, timestamp}.
      var event =
          fleet(viewer())
              .listEvents(
                  ListEventsRequest.newBuilder()
                      .addTypes("fleet.emergency_stop")
                      .setBotId(compromised.getId())
                      .build())
              .getEvents(0);
      assertThat(event.getPayload().getFieldsMap().get("bots_affected").getNumberValue())
          .isEqualTo(1);
      assertThat(event.getPayload().getFieldsMap()).containsKeys("reason", "bot_ids", "timestamp");
    } finally {
      streams.values().forEach(TestBot::close);
    }
  }

  @Test
  void aGroupPauseTouchesOnlyThatGroupAndAResumeLiftsOnlyPauses() {
    String suffix = unique();
    Map<String, List<Bot>> fleet = guideFleet(suffix);
    List<Bot> perps = fleet.get("perp-momentum");
    Map<String, TestBot> streams = new LinkedHashMap<>();
    fleet.values().stream()
        .flatMap(List::stream)
        .forEach(b -> streams.put(b.getId(), connect(b).autoAck(AckState.ACK_STATE_DONE)));
    // One perp bot was emergency-stopped before: a pause must leave it stopped, a resume too.
    Bot stopped = perps.get(0);
    fleet(operator())
        .emergencyStop(
            EmergencyStopRequest.newBuilder()
                .setScope(bots(stopped.getId()))
                .setReason("bug")
                .setRequestId(requestId())
                .build());
    assertThat(streams.get(stopped.getId()).next().getType()).isEqualTo("emergency_stop");

    try {
      PauseBotsResponse paused =
          fleet(operator())
              .pauseBots(
                  PauseBotsRequest.newBuilder()
                      .setScope(group("perp-momentum-" + suffix))
                      .setReason("funding rate spike")
                      .setRequestId(requestId())
                      .build());

      List<String> running = perps.subList(1, 5).stream().map(Bot::getId).toList();
      assertThat(paused.getBotIdsList()).containsExactlyInAnyOrderElementsOf(running);
      for (String id : running) {
        BotCommand pause = streams.get(id).next();
        assertThat(pause.getType()).isEqualTo("pause");
        assertThat(pause.getPayload().getFieldsMap().get("reason").getStringValue())
            .isEqualTo("funding rate spike");
        awaitStatus(id, BotStatus.BOT_STATUS_PAUSED);
        assertThat(fakes().permission.suspension(id))
            .isEqualTo(SuspensionMode.SUSPENSION_MODE_PAUSED);
      }
      for (Bot other : fleet.get("spot-arb")) {
        streams.get(other.getId()).expectNothing(Duration.ofMillis(50));
        assertThat(get(other.getId()).getStatus()).isEqualTo(BotStatus.BOT_STATUS_ACTIVE);
      }
      for (Bot other : fleet.get("options-mm")) {
        streams.get(other.getId()).expectNothing(Duration.ofMillis(50));
        assertThat(get(other.getId()).getStatus()).isEqualTo(BotStatus.BOT_STATUS_ACTIVE);
      }

      ResumeBotsResponse resumed =
          fleet(operator())
              .resumeBots(
                  ResumeBotsRequest.newBuilder()
                      .setScope(group("perp-momentum-" + suffix))
                      .setRequestId(requestId())
                      .build());

      assertThat(resumed.getBotIdsList()).containsExactlyInAnyOrderElementsOf(running);
      for (String id : running) {
        assertThat(streams.get(id).next().getType()).isEqualTo("resume");
        awaitStatus(id, BotStatus.BOT_STATUS_ACTIVE);
      }
      streams.get(stopped.getId()).expectNothing(Duration.ofMillis(200));
      assertThat(get(stopped.getId()).getStatus()).isEqualTo(BotStatus.BOT_STATUS_STOPPED);
      assertThat(fakes().permission.suspension(stopped.getId()))
          .isEqualTo(SuspensionMode.SUSPENSION_MODE_STOPPED);
      List<UnsuspendBotRequest> lifts = fakes().permission.recorder.requests("UnsuspendBot");
      assertThat(lifts.get(lifts.size() - 1).getMode())
          .isEqualTo(SuspensionMode.SUSPENSION_MODE_PAUSED);
    } finally {
      streams.values().forEach(TestBot::close);
    }
  }

  @Test
  void enforcementThatFailsIsRetriedWhileTheCommandGoesOut() {
    String group = "enforce-" + unique();
    Bot bot = register(group, "okx");
    fakes().permission.recorder.failNext("SuspendBot", 2, Status.UNAVAILABLE);
    try (TestBot stream = connect(bot)) {
      fleet(operator())
          .emergencyStop(
              EmergencyStopRequest.newBuilder()
                  .setScope(group(group))
                  .setReason("drill")
                  .setRequestId(requestId())
                  .build());

      assertThat(stream.next().getType()).isEqualTo("emergency_stop");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  fakes().permission.suspension(bot.getId())
                      == SuspensionMode.SUSPENSION_MODE_STOPPED);
    } finally {
      fakes().permission.recorder.heal();
    }
  }

  @Test
  void theKillSwitchRefusesAnUnclearScope() {
    assertThatThrownBy(
            () ->
                fleet(operator())
                    .emergencyStop(
                        EmergencyStopRequest.newBuilder()
                            .setReason("x")
                            .setRequestId(requestId())
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).startsWith("scope");
            });
    assertThatThrownBy(
            () ->
                fleet(operator())
                    .emergencyStop(
                        EmergencyStopRequest.newBuilder()
                            .setScope(group("no-such-group-" + unique()))
                            .setReason("x")
                            .setRequestId(requestId())
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(errorInfo(e).getReason()).isEqualTo("GROUP_NOT_FOUND"));
    assertThatThrownBy(
            () ->
                fleet(viewer())
                    .emergencyStop(
                        EmergencyStopRequest.newBuilder()
                            .setScope(bots("bot-x"))
                            .setReason("x")
                            .setRequestId(requestId())
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }
}
