package io.botfleet.sdk;

import static io.botfleet.fleet.v1.AckState.ACK_STATE_ACCEPTED;
import static io.botfleet.fleet.v1.AckState.ACK_STATE_DONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.sdk.fake.FakeCommand;
import io.botfleet.sdk.fake.FakeControlPlane;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DestroyLocalKeysTest {

  @TempDir Path dir;
  FakeControlPlane plane;
  final RecordingBot bot = new RecordingBot();
  BotfleetClient client;

  @BeforeEach
  void start() throws Exception {
    plane = FakeControlPlane.inProcess();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    plane.close();
  }

  @Test
  void anEmergencyStopWithDestroyLocalKeysStopsTheBotWipesTheKeyFileAndEndsTheClient()
      throws Exception {
    Path keyFile = dir.resolve("compromised.key");
    client = TestClients.enrolling(plane, bot, keyFile, "spot-arb-03").build();
    client.start();
    String agentId = client.agentId();
    await().until(() -> plane.commandStreamOpen(agentId));
    assertThat(keyFile).exists();

    FakeCommand stop =
        plane.send(
            agentId,
            "emergency_stop",
            Map.of(
                "reason",
                "identity_revoked: key found on a paste site",
                "actions",
                List.of(
                    "cancel_all_open_orders",
                    "close_all_positions_market",
                    "halt_trading_loop",
                    "destroy_local_keys")),
            Instant.now().plusSeconds(60),
            true);

    await().until(stop::settled);
    assertThat(stop.ackStates()).containsExactly(ACK_STATE_ACCEPTED, ACK_STATE_DONE);
    assertThat(bot.applied).containsExactly("emergency_stop#1");
    assertThat(keyFile).doesNotExist();
    await().until(() -> client.status().state() == ClientStatus.State.KEYS_DESTROYED);
    assertThat(client.agentId()).isNull();

    // The client is gone for good: no reconnection, even when the streams drop.
    int calls = plane.calls().size();
    plane.dropStreams();
    Thread.sleep(500);
    assertThat(plane.calls()).hasSize(calls);
    assertThat(plane.commandStreamOpen(agentId)).isFalse();
  }

  @Test
  void anEmergencyStopWithoutDestroyLocalKeysKeepsTheKeys() throws Exception {
    Path keyFile = dir.resolve("bot.key");
    client = TestClients.enrolling(plane, bot, keyFile, "spot-arb-01").build();
    client.start();
    String agentId = client.agentId();
    await().until(() -> plane.commandStreamOpen(agentId));

    FakeCommand stop = plane.send(agentId, "emergency_stop", Map.of("reason", "drill"));
    await().until(stop::settled);

    assertThat(keyFile).exists();
    assertThat(client.status().state()).isEqualTo(ClientStatus.State.RUNNING);
  }
}
