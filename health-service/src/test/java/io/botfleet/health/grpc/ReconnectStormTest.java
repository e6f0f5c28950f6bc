package io.botfleet.health.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestChannels;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.health.v1.HealthEventType;
import io.botfleet.health.v1.WatchHealthRequest;
import io.botfleet.health.v1.WatchHealthResponse;
import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The fleet loses its connections for longer than the dead threshold (a network partition) and
 * every bot reconnects at once. Without telling "the bots are gone" from "the network is gone",
 * every bot would be declared dead; botfleet raises one mass silence instead, and still catches the
 * one bot that really died.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class ReconnectStormTest extends HealthTestSupport {

  private static final int BOTS = 400;
  private static final int STREAMS_PER_CONNECTION = 50;

  @Test
  void aStormOfEveryBotReconnectingAtOnceDeclaresNoBotDead() throws Exception {
    String group = unique("storm");
    fastGroup(group); // dead after 10 s
    List<TestPrincipal> bots = new ArrayList<>();
    for (int i = 0; i < BOTS; i++) {
      bots.add(trackedBot(group));
    }
    TestPrincipal doomed = trackedBot(group);
    Watch watch =
        new Watch(
            fleet(),
            channel,
            WatchHealthRequest.newBuilder()
                .addTypes(HealthEventType.HEALTH_EVENT_TYPE_BOT_DEAD)
                .addTypes(HealthEventType.HEALTH_EVENT_TYPE_MASS_SILENCE_STARTED)
                .addTypes(HealthEventType.HEALTH_EVENT_TYPE_MASS_SILENCE_ENDED)
                .build());
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      List<TestPrincipal> everyone = new ArrayList<>(bots);
      everyone.add(doomed);
      List<BotStream> streams = connect(everyone, channels);
      beat(streams, 1, 4);

      // The network goes: every stream is cut, nothing arrives for 13 s (past every deadline).
      streams.forEach(BotStream::cut);
      Thread.sleep(13_000);

      // It comes back: every bot but the doomed one reconnects at the same moment.
      List<BotStream> again = connect(bots, channels);
      beat(again, 100, 12);

      Set<String> fleetIds = bots.stream().map(TestPrincipal::agentId).collect(Collectors.toSet());
      List<WatchHealthResponse> falseDeaths =
          watch.events.stream()
              .filter(e -> e.getType() == HealthEventType.HEALTH_EVENT_TYPE_BOT_DEAD)
              .filter(e -> fleetIds.contains(e.getBotId()))
              .toList();
      assertThat(falseDeaths).as("bots declared dead through the storm").isEmpty();
      assertThat(types(watch)).contains(HealthEventType.HEALTH_EVENT_TYPE_MASS_SILENCE_STARTED);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  watch.about(doomed.agentId()).stream()
                      .anyMatch(e -> e.getType() == HealthEventType.HEALTH_EVENT_TYPE_BOT_DEAD));
      assertThat(types(watch))
          .containsSubsequence(
              HealthEventType.HEALTH_EVENT_TYPE_MASS_SILENCE_STARTED,
              HealthEventType.HEALTH_EVENT_TYPE_MASS_SILENCE_ENDED,
              HealthEventType.HEALTH_EVENT_TYPE_BOT_DEAD);
      again.forEach(BotStream::finish);
    } finally {
      watch.close();
      for (ManagedChannel c : channels) {
        c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      bots.forEach(b -> untrack(b.agentId()));
      untrack(doomed.agentId());
    }
  }

  private static List<HealthEventType> types(Watch watch) {
    return watch.events.stream().map(WatchHealthResponse::getType).toList();
  }

  private static List<BotStream> connect(List<TestPrincipal> bots, List<ManagedChannel> channels) {
    List<BotStream> streams = new ArrayList<>();
    ManagedChannel current = null;
    for (int i = 0; i < bots.size(); i++) {
      if (i % STREAMS_PER_CONNECTION == 0) {
        current = TestChannels.toApplication();
        channels.add(current);
      }
      streams.add(new BotStream(bots.get(i), current));
    }
    return streams;
  }

  /** Every bot heartbeats once a second for {@code seconds}, each answer awaited. */
  private static void beat(List<BotStream> streams, long firstSequence, int seconds)
      throws InterruptedException {
    for (int s = 0; s < seconds; s++) {
      long started = System.currentTimeMillis();
      for (BotStream stream : streams) {
        stream.send(heartbeat(firstSequence + s));
      }
      for (BotStream stream : streams) {
        assertThat(stream.next().getAccepted()).isTrue();
      }
      Thread.sleep(Math.max(0, 1000 - (System.currentTimeMillis() - started)));
    }
  }
}
