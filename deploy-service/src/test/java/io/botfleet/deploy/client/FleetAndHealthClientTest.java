package io.botfleet.deploy.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.deploy.domain.BotHealth;
import io.botfleet.deploy.domain.BotStatus;
import io.botfleet.deploy.domain.Delivery;
import io.botfleet.deploy.domain.DeliveryState;
import io.botfleet.deploy.domain.FleetBot;
import io.botfleet.deploy.domain.HealthEvent;
import io.botfleet.deploy.domain.HealthStatus;
import io.botfleet.deploy.domain.HeartbeatSample;
import io.botfleet.deploy.sim.SimBot;
import io.botfleet.deploy.sim.SimulatedFleet;
import io.botfleet.deploy.sim.SimulatedFleetResource;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The clients against the fakes of fleet-service and health-service, over real gRPC. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(SimulatedFleetResource.class)
class FleetAndHealthClientTest {

  @Inject FleetClient fleetClient;
  @Inject HealthClient healthClient;

  private SimulatedFleet fleet;
  private List<SimBot> bots;

  @BeforeEach
  void fleet() {
    fleet = SimulatedFleetResource.fleet();
    fleet.reset();
    bots = fleet.perpMomentum("clients-" + System.nanoTime() % 100_000);
  }

  @AfterEach
  void noLatency() {
    fleet.fleetLatency(Duration.ZERO);
  }

  @Test
  void botsComeWithTheirVersionAndStatus() {
    List<FleetBot> group = fleetClient.listGroup(groupOf());

    assertThat(group).hasSize(5);
    assertThat(group.get(0).version()).isEqualTo("1.8.3");
    assertThat(group.get(0).status()).isEqualTo(BotStatus.ACTIVE);
    assertThat(fleetClient.findBot(bots.get(1).id()))
        .hasValueSatisfying(b -> assertThat(b.name()).isEqualTo(bots.get(1).name()));
    assertThat(fleetClient.findBot("bot-nobody")).isEmpty();
  }

  @Test
  void aSlowFleetServiceFailsTheCallAtItsDeadline() {
    fleet.fleetLatency(Duration.ofSeconds(5));
    Instant start = Instant.now();

    assertThatThrownBy(() -> fleetClient.listGroup(groupOf()))
        .isInstanceOfSatisfying(
            BotfleetException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(BotfleetException.Kind.UNAVAILABLE);
              assertThat(e.reason()).isEqualTo("FLEET_UNAVAILABLE");
            });
    // The test profile's call deadline is 2 s.
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofMillis(4000));
  }

  @Test
  void aCommandSentTwiceWithOneKeyIsOneCommandAndItsAcknowledgementsCanBeRead() {
    SimBot bot = bots.get(0);
    Map<String, Object> payload =
        Map.of("new_version", "1.9.0", "deployment_id", "deploy-x", "role", "canary");

    String first =
        fleetClient.sendCommand(
            List.of(bot.id()), "update_version", payload, Duration.ofHours(1), "key-1");
    String again =
        fleetClient.sendCommand(
            List.of(bot.id()), "update_version", payload, Duration.ofHours(1), "key-1");

    assertThat(again).isEqualTo(first);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fleetClient.deliveries(first).get(0).state() == DeliveryState.DONE);
    Delivery delivery = fleetClient.deliveries(first).get(0);
    assertThat(delivery.botId()).isEqualTo(bot.id());
    assertThat(delivery.updateTime()).isNotNull();
    assertThat(fleet.received("update_version")).hasSize(1);
  }

  @Test
  void statefulGroupsComeFromTheGroupPolicies() {
    fleet.stateful("options-mm");

    assertThat(fleetClient.statefulGroups()).containsExactly("options-mm");
  }

  @Test
  void healthGivesTheLatestHeartbeatsVersionOpenOrdersPnlAndHistory() {
    SimBot bot = bots.get(0).openOrders(3);
    fleet.awaitHistory(Duration.ofMillis(300));

    BotHealth health = healthClient.botHealth(bot.id());
    assertThat(health.version()).isEqualTo("1.8.3");
    assertThat(health.openOrders()).isEqualTo(3);
    assertThat(health.status()).isIn(HealthStatus.HEALTHY, HealthStatus.WARNING);
    assertThat(health.latestReceiveTime()).isAfter(Instant.now().minusSeconds(2));

    Map<String, BigDecimal> pnl =
        healthClient.pnlToday(List.of(bot.id(), bots.get(2).id()), LocalDate.now(ZoneOffset.UTC));
    assertThat(pnl)
        .containsEntry(bot.id(), new BigDecimal("500.00"))
        .containsEntry(bots.get(2).id(), new BigDecimal("120.00"));

    List<HeartbeatSample> history =
        healthClient.history(bot.id(), Instant.now().minusSeconds(10), Instant.now());
    assertThat(history).hasSizeGreaterThan(3);
    assertThat(history).allSatisfy(p -> assertThat(p.version()).isEqualTo("1.8.3"));
  }

  @Test
  void aWatchResumedAfterASequenceSeesOnlyWhatCameLater() {
    // The bots have heartbeated, so the stream has a sequence to resume from.
    fleet.awaitHistory(Duration.ofMillis(200));
    List<HealthEvent> first = new CopyOnWriteArrayList<>();
    Runnable cancel = healthClient.watch(0, listener(first));
    await().atMost(Duration.ofSeconds(5)).until(() -> first.size() >= 5);
    cancel.run();
    long last = first.stream().mapToLong(HealthEvent::sequence).max().orElseThrow();
    assertThat(last).isPositive();
    assertThat(first).extracting(HealthEvent::type).containsOnly(HealthEvent.Type.STATUS_CHANGED);

    // A bot changes version while nobody watches.
    SimBot bot = bots.get(3);
    fleetClient.sendCommand(
        List.of(bot.id()),
        "update_version",
        Map.of("new_version", "1.9.0"),
        Duration.ofHours(1),
        "key-2");
    await().atMost(Duration.ofSeconds(5)).until(() -> bot.version().equals("1.9.0"));

    List<HealthEvent> resumed = new CopyOnWriteArrayList<>();
    Runnable cancelAgain = healthClient.watch(last, listener(resumed));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> resumed.stream().anyMatch(e -> e.type() == HealthEvent.Type.VERSION_CHANGED));
    cancelAgain.run();
    assertThat(resumed).allSatisfy(e -> assertThat(e.sequence()).isGreaterThan(last));
    assertThat(resumed)
        .filteredOn(e -> e.type() == HealthEvent.Type.VERSION_CHANGED)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.botId()).isEqualTo(bot.id());
              assertThat(e.version()).isEqualTo("1.9.0");
            });
  }

  private String groupOf() {
    return fleet.bot(bots.get(0).name()).name().replaceAll("-0\\d$", "");
  }

  private static HealthClient.WatchListener listener(List<HealthEvent> into) {
    return new HealthClient.WatchListener() {
      @Override
      public void onEvent(HealthEvent event) {
        into.add(event);
      }

      @Override
      public void onEnd(Throwable cause) {}
    };
  }
}
