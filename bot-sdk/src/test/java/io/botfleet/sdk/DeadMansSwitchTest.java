package io.botfleet.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.health.v1.Heartbeat;
import io.botfleet.sdk.fake.FakeControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dead-man's switch with a 2 s dead-man time. */
class DeadMansSwitchTest {

  static final Duration DEAD_MAN = Duration.ofSeconds(2);

  @TempDir Path dir;
  FakeControlPlane plane;
  final RecordingBot bot = new RecordingBot();
  BotfleetClient client;
  String agentId;

  @BeforeEach
  void start() throws Exception {
    plane = FakeControlPlane.inProcess();
    client = started(TestClients.enrolling(plane, bot, dir.resolve("bot.key"), "options-mm-01"));
    agentId = client.agentId();
    await().until(() -> client.status().healthStatus() != null && plane.commandStreamOpen(agentId));
    assertThat(bot.entered).as("no safe mode while connecting").isEmpty();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    plane.close();
  }

  BotfleetClient started(BotfleetClientBuilder builder) throws Exception {
    BotfleetClient started =
        builder.deadManAfter(DEAD_MAN).heartbeatAnswerTimeout(Duration.ofMillis(500)).build();
    started.start();
    return started;
  }

  @Test
  void safeModeBeginsAfterTheDeadManTimeWithoutTheControlPlaneAndEndsWhenItIsBack()
      throws Exception {
    Instant lost = Instant.now();
    plane.unavailable(true);
    plane.dropStreams();

    Thread.sleep(DEAD_MAN.toMillis() - 500);
    assertThat(bot.entered).as("not before the dead-man time").isEmpty();
    await().atMost(Duration.ofSeconds(3)).until(() -> bot.entered.size() == 1);
    SafeModeEpisode episode = bot.entered.get(0);
    assertThat(Duration.between(lost, episode.enteredAt()))
        .isGreaterThanOrEqualTo(DEAD_MAN.minusMillis(50));
    assertThat(episode.reason()).contains("stream down");
    assertThat(client.status().safeMode()).isTrue();

    plane.unavailable(false);
    await().atMost(Duration.ofSeconds(5)).until(() -> bot.exited.size() == 1);
    assertThat(bot.exited.get(0).withoutControlPlane()).isGreaterThanOrEqualTo(DEAD_MAN);
    assertThat(client.status().safeMode()).isFalse();
    assertThat(bot.entered).hasSize(1);

    // The episode is reported to the control plane in the heartbeats once it is back.
    await()
        .until(
            () ->
                last(plane.heartbeats(agentId)).getCustomMetricsMap().get("sdk_safe_mode_episodes")
                    == 1.0);
    Heartbeat after = last(plane.heartbeats(agentId));
    assertThat(after.getCustomMetricsMap())
        .containsEntry("sdk_safe_mode", 0.0)
        .containsKey("sdk_safe_mode_last_seconds");
    assertThat(after.getCustomMetricsMap().get("sdk_safe_mode_last_seconds"))
        .isGreaterThanOrEqualTo(2.0);
    assertThat(after.getCustomMetricsMap()).containsEntry("spread_bps", 3.5);
  }

  @Test
  void aHealthServiceThatStopsAnsweringTriggersSafeMode() {
    plane.healthSilent(true);
    await().atMost(Duration.ofSeconds(5)).until(() -> bot.entered.size() == 1);
    assertThat(bot.entered.get(0).reason()).containsAnyOf("unanswered", "no answer");

    plane.healthSilent(false);
    await().atMost(Duration.ofSeconds(5)).until(() -> bot.exited.size() == 1);
  }

  @Test
  void losingOnlyTheCommandStreamTriggersSafeModeAndTheHeartbeatsSayWhy() {
    String fleet = FleetServiceGrpc.SERVICE_NAME;
    plane.unavailable(fleet, true);
    plane.dropStreams();

    await().atMost(Duration.ofSeconds(5)).until(() -> bot.entered.size() == 1);
    assertThat(bot.entered.get(0).reason()).startsWith("command stream down");
    // Heartbeats still flow, so health-service sees the bot in safe mode.
    await()
        .until(
            () ->
                last(plane.heartbeats(agentId)).getCustomMetricsMap().get("sdk_safe_mode") == 1.0);

    plane.unavailable(fleet, false);
    await().atMost(Duration.ofSeconds(5)).until(() -> bot.exited.size() == 1);
  }

  @Test
  void aBotThatNeverReachesTheControlPlaneGoesIntoSafeMode() throws Exception {
    client.close();
    plane.unavailable(true);
    RecordingBot cold = new RecordingBot();
    client = started(TestClients.base(plane, cold).keyFile(dir.resolve("bot.key")));

    await().atMost(Duration.ofSeconds(5)).until(() -> cold.entered.size() == 1);
    assertThat(cold.entered.get(0).reason()).contains("not connected yet");
  }

  @Test
  void aDormantStandbyThatSendsNoHeartbeatsStaysOutOfSafeMode() throws Exception {
    client.close();
    int before = plane.heartbeats(agentId).size();
    RecordingBot standby = new RecordingBot();
    standby.dormant = true;
    client = started(TestClients.base(plane, standby).keyFile(dir.resolve("bot.key")));

    Thread.sleep(DEAD_MAN.toMillis() * 2);
    assertThat(standby.entered).isEmpty();
    assertThat(plane.heartbeats(agentId)).hasSize(before);

    // Failover wakes it: it heartbeats from then on.
    plane.send(
        agentId,
        "assume_responsibility",
        java.util.Map.of(
            "from_bot", "bot-dead", "group", "options-mm", "reconcile_positions", true));
    await().until(() -> plane.heartbeats(agentId).size() > before);
    assertThat(standby.applied).containsExactly("assume_responsibility#1");
  }

  @Test
  void aQuietCommandStreamCountsAsWorkingOnceItHasStayedOpenAWhile() throws Exception {
    // A fleet-service that sends its headers only with the first command: nothing proves the
    // stream but time (a refused stream fails within milliseconds).
    client.close();
    plane.commandHeadersAtOnce(false);
    RecordingBot quiet = new RecordingBot();
    client = started(TestClients.base(plane, quiet).keyFile(dir.resolve("bot.key")));

    Thread.sleep(DEAD_MAN.toMillis() * 2);
    assertThat(quiet.entered).isEmpty();
    plane.unavailable(FleetServiceGrpc.SERVICE_NAME, true);
    plane.dropStreams();
    await().atMost(Duration.ofSeconds(5)).until(() -> quiet.entered.size() == 1);
    assertThat(quiet.entered.get(0).reason()).startsWith("command stream down");
  }

  private static Heartbeat last(List<Heartbeat> heartbeats) {
    return heartbeats.get(heartbeats.size() - 1);
  }
}
