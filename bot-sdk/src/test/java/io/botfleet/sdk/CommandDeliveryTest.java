package io.botfleet.sdk;

import static io.botfleet.fleet.v1.AckState.ACK_STATE_ACCEPTED;
import static io.botfleet.fleet.v1.AckState.ACK_STATE_DONE;
import static io.botfleet.fleet.v1.AckState.ACK_STATE_FAILED;
import static io.botfleet.fleet.v1.AckState.ACK_STATE_REJECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.fleet.v1.CommandAck;
import io.botfleet.sdk.fake.FakeCommand;
import io.botfleet.sdk.fake.FakeControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandDeliveryTest {

  @TempDir Path dir;
  FakeControlPlane plane;
  final RecordingBot bot = new RecordingBot();
  BotfleetClient client;
  String agentId;

  @BeforeEach
  void start() throws Exception {
    plane = FakeControlPlane.inProcess();
    client = TestClients.enrolling(plane, bot, dir.resolve("bot.key"), "spot-arb-01").build();
    client.start();
    agentId = client.agentId();
    await().until(() -> plane.commandStreamOpen(agentId));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    plane.close();
  }

  @Test
  void commandsAreAppliedInOrderAndAcknowledgedAcceptedThenDone() {
    FakeCommand pause = plane.send(agentId, "pause", Map.of("reason", "volatility"));
    FakeCommand resume = plane.send(agentId, "resume", Map.of());
    FakeCommand update =
        plane.send(agentId, "update_version", Map.of("new_version", "2.5.0", "role", "canary"));

    await().until(update::settled);
    assertThat(bot.applied).containsExactly("pause#1", "resume#2", "update_version#3");
    for (FakeCommand command : List.of(pause, resume, update)) {
      assertThat(command.ackStates()).containsExactly(ACK_STATE_ACCEPTED, ACK_STATE_DONE);
      assertThat(command.acks())
          .extracting(CommandAck::getSequence)
          .containsOnly(command.sequence());
    }
    // The heartbeats report the version the handler switched to.
    await()
        .until(
            () -> plane.heartbeats(agentId).stream().anyMatch(h -> h.getVersion().equals("2.5.0")));
  }

  @Test
  void aRedeliveryOfASettledCommandGetsTheSameFinalAck() {
    FakeCommand pause = plane.send(agentId, "pause", Map.of("reason", "news"));
    await().until(pause::settled);
    // fleet-service lost the final ack (say the stream broke first): the command is pending again.
    forgottenAcks(pause);
    plane.dropStreams();

    await().until(() -> pause.deliveries() >= 2 && pause.settled());
    assertThat(bot.count("pause")).isEqualTo(1);
    assertThat(pause.lastState()).isEqualTo(ACK_STATE_DONE);
  }

  @Test
  void aCommandRunningWhenTheStreamDropsIsNotStartedTwice() throws Exception {
    bot.blockCustom = new CountDownLatch(1);
    FakeCommand slow = plane.send(agentId, "slow", Map.of());
    await().until(() -> bot.applied.contains("slow#1"));
    plane.dropStreams();
    await().until(() -> slow.deliveries() >= 2);
    bot.blockCustom.countDown();

    await().until(slow::settled);
    assertThat(bot.count("slow")).isEqualTo(1);
    assertThat(slow.lastState()).isEqualTo(ACK_STATE_DONE);
  }

  @Test
  void anEmergencyStopDoesNotWaitBehindALongCommand() {
    bot.blockCustom = new CountDownLatch(1);
    FakeCommand slow = plane.send(agentId, "slow", Map.of());
    await().until(() -> bot.applied.contains("slow#1"));
    FakeCommand stop =
        plane.send(
            agentId,
            "emergency_stop",
            Map.of("reason", "exchange incident", "actions", List.of("cancel_all_open_orders")),
            Instant.now().plusSeconds(60),
            true);

    await().until(stop::settled);
    assertThat(slow.settled()).isFalse();
    assertThat(
            stop.acks().get(1).getResult().getFieldsMap().get("orders_cancelled").getNumberValue())
        .isEqualTo(3);
    bot.blockCustom.countDown();
    await().until(slow::settled);
  }

  @Test
  void anExpiredCommandIsRejectedAndNeverApplied() {
    FakeCommand late =
        plane.send(agentId, "pause", Map.of("reason", "old"), Instant.now().minusSeconds(5), false);

    await().until(late::settled);
    assertThat(late.ackStates()).containsExactly(ACK_STATE_REJECTED);
    assertThat(late.acks().get(0).getMessage()).contains("expired");
    assertThat(bot.applied).isEmpty();
  }

  @Test
  void theHandlerDecidesFailedAndRejected() {
    FakeCommand explode = plane.send(agentId, "explode", Map.of());
    FakeCommand unknown = plane.send(agentId, "rebalance_books", Map.of());
    FakeCommand noVersion = plane.send(agentId, "update_version", Map.of("role", "canary"));

    await().until(noVersion::settled);
    assertThat(explode.ackStates()).containsExactly(ACK_STATE_ACCEPTED, ACK_STATE_FAILED);
    assertThat(explode.acks().get(1).getMessage()).contains("exchange said no");
    assertThat(unknown.ackStates()).containsExactly(ACK_STATE_ACCEPTED, ACK_STATE_REJECTED);
    assertThat(unknown.acks().get(1).getMessage()).isEqualTo("unknown command rebalance_books");
    // A payload without a required field is refused before the handler sees it.
    assertThat(noVersion.ackStates()).containsExactly(ACK_STATE_REJECTED);
    assertThat(noVersion.acks().get(0).getMessage())
        .isEqualTo("update_version: payload.new_version is required");
    assertThat(bot.applied).containsExactly("explode#1", "rebalance_books#2");
  }

  @Test
  void theJournalOnDiskKeepsARestartedBotFromApplyingACommandTwice() throws Exception {
    FakeCommand pause = plane.send(agentId, "pause", Map.of("reason", "news"));
    await().until(pause::settled);
    client.abort();
    forgottenAcks(pause);

    RecordingBot restarted = new RecordingBot();
    client = TestClients.base(plane, restarted).keyFile(dir.resolve("bot.key")).build();
    client.start();

    await().until(() -> pause.deliveries() >= 2 && pause.settled());
    assertThat(restarted.applied).isEmpty();
    assertThat(pause.lastState()).isEqualTo(ACK_STATE_DONE);
    assertThat(dir.resolve("bot.key.journal")).exists();
  }

  @Test
  void theClientAcknowledgesAShutdownAndCloses() {
    FakeCommand shutdown =
        plane.send(
            agentId,
            "shutdown",
            Map.of("reason", "deregistered_from_fleet", "grace_period_seconds", 30));

    await().until(shutdown::settled);
    assertThat(shutdown.ackStates()).containsExactly(ACK_STATE_ACCEPTED, ACK_STATE_DONE);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> client.status().state() == ClientStatus.State.CLOSED);
    await().until(() -> !plane.commandStreamOpen(agentId));
  }

  @Test
  void aBotThatCannotWindDownStaysConnectedSoItCanStillBeStopped() throws Exception {
    bot.failShutdown = true;
    FakeCommand shutdown =
        plane.send(agentId, "shutdown", Map.of("reason", "deregistered_from_fleet"));
    await().until(shutdown::settled);
    assertThat(shutdown.lastState()).isEqualTo(ACK_STATE_FAILED);

    Thread.sleep(300);
    assertThat(client.status().state()).isEqualTo(ClientStatus.State.RUNNING);
    FakeCommand stop = plane.send(agentId, "emergency_stop", Map.of("reason", "flatten it"));
    await().until(stop::settled);
    assertThat(stop.lastState()).isEqualTo(ACK_STATE_DONE);
  }

  /** Makes the fake forget a command's final ack, as if it had been lost on the way. */
  private static void forgottenAcks(FakeCommand command) {
    command.forgetAcks();
  }
}
