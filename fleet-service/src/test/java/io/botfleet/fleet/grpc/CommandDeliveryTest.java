package io.botfleet.fleet.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.fleet.FleetTestSupport;
import io.botfleet.fleet.TestBot;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.botfleet.fleet.v1.AckState;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.BotCommand;
import io.botfleet.fleet.v1.DeliveryState;
import io.botfleet.fleet.v1.EmergencyStopRequest;
import io.botfleet.fleet.v1.GetCommandStatusRequest;
import io.botfleet.fleet.v1.GetCommandStatusResponse;
import io.botfleet.fleet.v1.PauseBotsRequest;
import io.botfleet.fleet.v1.ResumeBotsRequest;
import io.botfleet.fleet.v1.SendCommandRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesTestResource.class)
class CommandDeliveryTest extends FleetTestSupport {

  @Test
  void aBotReceivesItsCommandsInSequenceOrderLiveAndAfterReconnecting() {
    Bot bot = register("order-" + unique(), "binance");
    List<String> sent = new ArrayList<>();
    try (TestBot stream = connect(bot)) {
      for (int i = 0; i < 5; i++) {
        sent.add(send(bot, "set_param_" + i).getCommand().getId());
      }
      List<BotCommand> live =
          List.of(stream.next(), stream.next(), stream.next(), stream.next(), stream.next());
      assertThat(live).extracting(BotCommand::getCommandId).containsExactlyElementsOf(sent);
      assertThat(live).extracting(BotCommand::getSequence).isSorted().doesNotHaveDuplicates();
      live.subList(0, 2).forEach(c -> stream.ack(c, AckState.ACK_STATE_DONE));
      awaitState(sent.get(1), DeliveryState.DELIVERY_STATE_DONE);
    }
    // Disconnected: more commands are stored and wait.
    for (int i = 5; i < 8; i++) {
      sent.add(send(bot, "set_param_" + i).getCommand().getId());
    }
    try (TestBot again = connect(bot)) {
      List<BotCommand> backlog = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        backlog.add(again.next());
      }
      // Every unacknowledged command, in order: the three sent but not acknowledged, then three
      // new.
      assertThat(backlog)
          .extracting(BotCommand::getCommandId)
          .containsExactlyElementsOf(sent.subList(2, 8));
      assertThat(backlog).extracting(BotCommand::getSequence).isSorted();
      again.expectNothing(Duration.ofMillis(300));
    }
  }

  @Test
  void anExpiredCommandIsNeverDelivered() throws InterruptedException {
    Bot bot = register("expiry-" + unique(), "okx");
    String shortLived =
        fleet(operator())
            .sendCommand(
                SendCommandRequest.newBuilder()
                    .setScope(bots(bot.getId()))
                    .setType("rebalance")
                    .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1))
                    .setRequestId(requestId())
                    .build())
            .getCommand()
            .getId();
    String lasting = send(bot, "rebalance_later").getCommand().getId();
    Thread.sleep(1500);

    try (TestBot stream = connect(bot)) {
      assertThat(stream.next().getCommandId()).isEqualTo(lasting);
      stream.expectNothing(Duration.ofMillis(500));
    }
    awaitState(shortLived, DeliveryState.DELIVERY_STATE_EXPIRED);
  }

  @Test
  void acknowledgementsMoveTheDeliveryForwardOnly() {
    Bot bot = register("acks-" + unique(), "okx");
    try (TestBot stream = connect(bot)) {
      String id = send(bot, "refresh").getCommand().getId();
      BotCommand command = stream.next();
      awaitState(id, DeliveryState.DELIVERY_STATE_SENT);

      stream.ack(command, AckState.ACK_STATE_ACCEPTED);
      awaitState(id, DeliveryState.DELIVERY_STATE_ACCEPTED);
      stream.ack(command, AckState.ACK_STATE_DONE);
      awaitState(id, DeliveryState.DELIVERY_STATE_DONE);
      // A late duplicate never moves it back.
      stream.ack(command, AckState.ACK_STATE_ACCEPTED);
      stream.expectNothing(Duration.ofMillis(300));
      assertThat(status(id).getDeliveries(0).getState())
          .isEqualTo(DeliveryState.DELIVERY_STATE_DONE);

      String rejected = send(bot, "unknown_thing").getCommand().getId();
      stream.ack(stream.next(), AckState.ACK_STATE_REJECTED);
      awaitState(rejected, DeliveryState.DELIVERY_STATE_REJECTED);
      assertThat(status(rejected).getDeliveries(0).getMessage()).isEqualTo("unknown command");
    }
  }

  @Test
  void anEmergencyStopGoesAheadOfWhatIsQueuedAndCancelsIt() {
    String group = "queued-" + unique();
    Bot bot = register(group, "binance");
    try (TestBot stream = connect(bot)) {
      stream.autoAck(AckState.ACK_STATE_DONE);
      pause(group);
      assertThat(stream.next().getType()).isEqualTo("pause");
    }
    // Offline: a resume and a parameter change wait; then the kill switch.
    String resume =
        fleet(operator())
            .resumeBots(
                ResumeBotsRequest.newBuilder()
                    .setScope(group(group))
                    .setRequestId(requestId())
                    .build())
            .getCommand()
            .getId();
    String param = send(bot, "set_param").getCommand().getId();
    String stop =
        fleet(operator())
            .emergencyStop(
                EmergencyStopRequest.newBuilder()
                    .setScope(group(group))
                    .setReason("exchange outage")
                    .setRequestId(requestId())
                    .build())
            .getCommand()
            .getId();

    try (TestBot stream = connect(bot)) {
      BotCommand first = stream.next();
      assertThat(first.getCommandId()).isEqualTo(stop);
      assertThat(first.getPayload().getFieldsMap().get("actions").getListValue().getValuesList())
          .extracting(Value::getStringValue)
          .containsExactly(
              "cancel_all_open_orders", "close_all_positions_market", "halt_trading_loop");
      // A resume queued before the stop must never arrive after it.
      stream.expectNothing(Duration.ofMillis(500));
    }
    awaitState(resume, DeliveryState.DELIVERY_STATE_CANCELLED);
    awaitState(param, DeliveryState.DELIVERY_STATE_CANCELLED);
  }

  @Test
  void getCommandStatusPagesThroughDeliveriesByBotName() {
    String group = "status-" + unique();
    for (int i = 0; i < 5; i++) {
      register(botRequest(group + "-" + i, group, "okx"));
    }
    String id =
        fleet(operator())
            .sendCommand(
                SendCommandRequest.newBuilder()
                    .setScope(group(group))
                    .setType("rebalance")
                    .setRequestId(requestId())
                    .build())
            .getCommand()
            .getId();

    GetCommandStatusResponse first =
        fleet(viewer())
            .getCommandStatus(
                GetCommandStatusRequest.newBuilder().setCommandId(id).setPageSize(3).build());
    GetCommandStatusResponse second =
        fleet(viewer())
            .getCommandStatus(
                GetCommandStatusRequest.newBuilder()
                    .setCommandId(id)
                    .setPageSize(3)
                    .setPageToken(first.getNextPageToken())
                    .build());

    assertThat(first.getCommand().getTargetCount()).isEqualTo(5);
    assertThat(first.getCommand().getDeliveryCountsMap()).containsEntry("pending", 5);
    assertThat(first.getDeliveriesList())
        .extracting(d -> d.getBotName())
        .containsExactly(group + "-0", group + "-1", group + "-2");
    assertThat(second.getDeliveriesList())
        .extracting(d -> d.getBotName())
        .containsExactly(group + "-3", group + "-4");
    assertThat(second.getNextPageToken()).isEmpty();
  }

  @Test
  void theSameRequestIdIssuesACommandOnce() {
    Bot bot = register("idem-" + unique(), "okx");
    SendCommandRequest request =
        SendCommandRequest.newBuilder()
            .setScope(bots(bot.getId()))
            .setType("rebalance")
            .setPayload(
                Struct.newBuilder()
                    .putFields("pair", Value.newBuilder().setStringValue("BTC/USDT").build()))
            .setRequestId(requestId())
            .build();

    String first = fleet(operator()).sendCommand(request).getCommand().getId();
    String second = fleet(operator()).sendCommand(request).getCommand().getId();

    assertThat(second).isEqualTo(first);
    try (TestBot stream = connect(bot)) {
      BotCommand command = stream.next();
      assertThat(command.getPayload().getFieldsMap().get("pair").getStringValue())
          .isEqualTo("BTC/USDT");
      assertThat(command.getPayload().getFieldsMap().get("command").getStringValue())
          .isEqualTo("rebalance");
      stream.expectNothing(Duration.ofMillis(300));
    }
  }

  private io.botfleet.fleet.v1.SendCommandResponse send(Bot bot, String type) {
    return fleet(operator())
        .sendCommand(
            SendCommandRequest.newBuilder()
                .setScope(bots(bot.getId()))
                .setType(type)
                .setRequestId(requestId())
                .build());
  }

  private void pause(String group) {
    fleet(operator())
        .pauseBots(
            PauseBotsRequest.newBuilder()
                .setScope(group(group))
                .setReason("volatility")
                .setRequestId(requestId())
                .build());
  }
}
