package io.botfleet.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.health.v1.Heartbeat;
import io.botfleet.sdk.fake.FakeControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconnectTest {

  @TempDir Path dir;
  FakeControlPlane plane;
  final RecordingBot bot = new RecordingBot();
  BotfleetClient client;
  String agentId;

  @BeforeEach
  void start() throws Exception {
    plane = FakeControlPlane.inProcess();
    client =
        TestClients.enrolling(plane, bot, dir.resolve("bot.key"), "perp-momentum-02")
            .deadManAfter(Duration.ofSeconds(30))
            .build();
    client.start();
    agentId = client.agentId();
    await().until(() -> plane.heartbeats(agentId).size() >= 2 && plane.commandStreamOpen(agentId));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    plane.close();
  }

  @Test
  void bothStreamsComeBackAfterTheServerDropsThem() {
    int before = plane.heartbeats(agentId).size();
    plane.dropStreams();

    await().until(() -> plane.commandStreamOpen(agentId));
    await().until(() -> plane.heartbeats(agentId).size() > before + 2);
    assertThat(client.status().reconnects()).isGreaterThanOrEqualTo(2);
    assertThat(client.status().heartbeatStreamUp()).isTrue();
    // One sequence for the bot's life, across streams: health-service sees no restart.
    List<Long> sequences = plane.heartbeats(agentId).stream().map(Heartbeat::getSequence).toList();
    assertThat(sequences).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void theStreamsComeBackAfterAnOutageWithRefusedReconnections() {
    plane.unavailable(true);
    plane.dropStreams();
    await().until(() -> client.status().reconnects() >= 6);
    assertThat(client.status().commandStreamUp()).isFalse();
    int during = plane.heartbeats(agentId).size();

    plane.unavailable(false);
    await().until(() -> plane.commandStreamOpen(agentId));
    await().until(() -> plane.heartbeats(agentId).size() > during);
    assertThat(plane.refusals()).isEmpty();
  }

  @Test
  void aHeartbeatStreamThatStopsAnsweringIsRestarted() {
    plane.healthSilent(true);
    long reconnects = client.status().reconnects();
    // The answer timeout (half the dead-man time, at most 10 s) is shortened for this client.
    client.close();
    client =
        TestClients.base(plane, bot)
            .keyFile(dir.resolve("bot.key"))
            .heartbeatAnswerTimeout(Duration.ofMillis(300))
            .deadManAfter(Duration.ofSeconds(30))
            .build();
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    await().until(() -> client.status().reconnects() >= reconnects + 2);
    plane.healthSilent(false);
    await().until(() -> client.status().healthStatus() != null);
    assertThat(client.status().healthStatus()).isEqualTo("HEALTHY");
  }
}
