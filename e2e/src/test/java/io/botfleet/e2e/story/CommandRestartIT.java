package io.botfleet.e2e.story;

import static io.botfleet.e2e.story.Story.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.botfleet.common.v1.BotIds;
import io.botfleet.common.v1.Scope;
import io.botfleet.fleet.v1.BotStatus;
import io.botfleet.fleet.v1.DeliveryState;
import io.botfleet.fleet.v1.GetCommandStatusRequest;
import io.botfleet.fleet.v1.SendCommandRequest;
import io.botfleet.sdk.command.CommandInfo;
import io.botfleet.sim.BotProfile;
import io.botfleet.sim.GuideFleet;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Commands are stored per bot before they are sent: fleet-service killed (SIGKILL) and restarted
 * while commands wait for a bot that is offline loses none of them; the bot gets every one, once,
 * in order, when it comes back.
 */
class CommandRestartIT {

  static final String GROUP = "e2e-durable";
  static final int COMMANDS = 5;

  final Story story = Story.get();

  @Test
  void aRestartOfFleetServiceWhileCommandsArePendingLosesNone() throws Exception {
    story.guideFleet();
    GuideFleet guide = new GuideFleet(story.asAdmin("fleet"), story.asAdmin("identity"));
    String name = GROUP + "-01";
    var registered =
        guide.register(
            new BotProfile(
                name, GROUP, "okx", "cross-exchange-arb", "1.0.0", new BigDecimal("10000"), false));
    E2eBot bot = E2eBot.start(story.fleet, name, registered.token(), false, Duration.ofSeconds(1));
    await(
        name + " active",
        GuideFleetIT.SOON,
        () -> story.bot(name).getStatus() == BotStatus.BOT_STATUS_ACTIVE);
    bot.kill();
    await(name + " disconnected", GuideFleetIT.SOON, () -> !story.bot(name).getConnected());

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < COMMANDS; i++) {
      ids.add(
          story
              .fleetStub()
              .sendCommand(
                  SendCommandRequest.newBuilder()
                      .setScope(
                          Scope.newBuilder().setBots(BotIds.newBuilder().addBotIds(bot.agentId())))
                      .setType("e2e_note")
                      .setPayload(
                          Struct.newBuilder()
                              .putFields("n", Value.newBuilder().setNumberValue(i).build()))
                      .setRequestId(UUID.randomUUID().toString())
                      .build())
              .getCommand()
              .getId());
    }
    for (String id : ids) {
      assertThat(state(id)).as(id).isEqualTo(DeliveryState.DELIVERY_STATE_PENDING);
    }

    story.fleet.kill("fleet");
    story.fleet.restart("fleet");
    E2eBot back = bot.restart(story.fleet, Duration.ofSeconds(1));

    await(
        "every command done after the restart",
        Duration.ofSeconds(30),
        () -> ids.stream().allMatch(id -> state(id) == DeliveryState.DELIVERY_STATE_DONE));
    List<Object> seen = new ArrayList<>();
    for (CommandInfo command : back.commands()) {
      if (command.type().equals("e2e_note")) {
        seen.add(((Number) command.payload().get("n")).intValue());
      }
    }
    assertThat(seen).as("each once, in order").containsExactly(0, 1, 2, 3, 4);
    back.client().close();
  }

  private DeliveryState state(String commandId) {
    var deliveries =
        story
            .fleetStub()
            .getCommandStatus(GetCommandStatusRequest.newBuilder().setCommandId(commandId).build())
            .getDeliveriesList();
    assertThat(deliveries).hasSize(1);
    return deliveries.get(0).getState();
  }
}
