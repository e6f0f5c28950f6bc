package io.botfleet.health.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Dead-bot detection on a simulated clock with the guide's settings (30 s, dead after 120 s). */
class DeadBotDetectorTest {

  private static final long INTERVAL = 30_000;
  private static final Duration DEAD_AFTER = Duration.ofSeconds(120);

  @Test
  void aSilentBotIsFlaggedWithinOneTickOfItsDeadlineAndNoOtherIs() {
    FleetSimulation fleet = new FleetSimulation(10_000, DEAD_AFTER);
    long tenMinutes = fleet.at(Duration.ofMinutes(10));
    fleet.heartbeatAll(fleet.now, tenMinutes, INTERVAL);
    fleet.runUntil(fleet.at(Duration.ofMinutes(3)));
    fleet.silence(Set.of("bot-7"), fleet.now); // bot-7 crashes
    fleet.runUntil(tenMinutes);

    assertThat(fleet.deaths).containsOnlyKeys("bot-7");
    long deadline = fleet.deadlinesAtDeath.get("bot-7");
    assertThat(fleet.deaths.get("bot-7") - deadline).isBetween(0L, FleetSimulation.TICK);
    assertThat(fleet.fleetEvents).isEmpty();
  }

  @Test
  void aReconnectStormOfTenThousandBotsCausesNoFalseDeath() {
    FleetSimulation fleet = new FleetSimulation(10_000, DEAD_AFTER);
    long outage = fleet.at(Duration.ofMinutes(5));
    long end = fleet.at(Duration.ofMinutes(20));
    // Everyone heartbeats until the connection drops, then reconnects with backoff and jitter
    // into an overloaded service: first heartbeats land 0 to 110 s later, many past their
    // deadline, then every 30 s again.
    for (String id : fleet.bots.keySet()) {
      long phase = (long) (fleet.random.nextDouble() * INTERVAL);
      fleet.heartbeat(id, fleet.now + phase, outage, INTERVAL);
      long back = outage + (long) (fleet.random.nextDouble() * 110_000);
      fleet.heartbeat(id, back, end, INTERVAL);
    }

    fleet.runUntil(end);

    assertThat(fleet.deaths.size()).as("bots declared dead").isZero();
    assertThat(fleet.countFleet(HealthEventType.MASS_SILENCE_STARTED)).isEqualTo(1);
    assertThat(fleet.countFleet(HealthEventType.MASS_SILENCE_ENDED)).isEqualTo(1);
    assertThat(fleet.detector.massSilence()).isNull();
  }

  @Test
  void aShortReconnectStormIsNotEvenAMassSilence() {
    FleetSimulation fleet = new FleetSimulation(10_000, DEAD_AFTER);
    long outage = fleet.at(Duration.ofMinutes(5));
    long end = fleet.at(Duration.ofMinutes(15));
    for (String id : fleet.bots.keySet()) {
      long phase = (long) (fleet.random.nextDouble() * INTERVAL);
      fleet.heartbeat(id, fleet.now + phase, outage, INTERVAL);
      fleet.heartbeat(id, outage + (long) (fleet.random.nextDouble() * 20_000), end, INTERVAL);
    }

    fleet.runUntil(end);

    assertThat(fleet.deaths.size()).isZero();
    assertThat(fleet.fleetEvents).isEmpty();
  }

  @Test
  void aPartitionRaisesOneFleetAlertAndBotsStillSilentAfterItDieAThresholdLater() {
    FleetSimulation fleet = new FleetSimulation(10_000, DEAD_AFTER);
    long partition = fleet.at(Duration.ofMinutes(5));
    long healed = fleet.at(Duration.ofMinutes(15));
    long end = fleet.at(Duration.ofMinutes(25));
    Set<String> gone = new HashSet<>();
    int i = 0;
    for (String id : fleet.bots.keySet()) {
      long phase = (long) (fleet.random.nextDouble() * INTERVAL);
      fleet.heartbeat(id, fleet.now + phase, partition, INTERVAL);
      if (i++ % 200 == 0) {
        gone.add(id); // 50 bots really died during the partition
      } else {
        fleet.heartbeat(id, healed + phase, end, INTERVAL);
      }
    }

    fleet.runUntil(healed);
    assertThat(fleet.deaths.size()).as("no bot_dead during the partition").isZero();
    assertThat(fleet.countFleet(HealthEventType.MASS_SILENCE_STARTED)).isEqualTo(1);
    long started = fleet.fleetEvents.get(0).time().toEpochMilli() - fleet.at(Duration.ofMinutes(5));
    assertThat(started).as("noticed before the first deadline").isLessThanOrEqualTo(120_000);

    fleet.runUntil(end);
    assertThat(fleet.countFleet(HealthEventType.MASS_SILENCE_ENDED)).isEqualTo(1);
    assertThat(fleet.deaths.keySet().equals(gone)).as("exactly the 50 gone bots died").isTrue();
    long ended =
        fleet.fleetEvents.stream()
            .filter(e -> e.type() == HealthEventType.MASS_SILENCE_ENDED)
            .findFirst()
            .orElseThrow()
            .time()
            .toEpochMilli();
    assertThat(fleet.deaths.values()).allMatch(t -> t >= ended + DEAD_AFTER.toMillis());
  }

  @Test
  void aFewSimultaneousDeathsAreDeathsNotAMassSilence() {
    FleetSimulation fleet = new FleetSimulation(10_000, DEAD_AFTER);
    long crash = fleet.at(Duration.ofMinutes(3));
    long end = fleet.at(Duration.ofMinutes(10));
    Set<String> crashed = new HashSet<>();
    int i = 0;
    for (String id : fleet.bots.keySet()) {
      long phase = (long) (fleet.random.nextDouble() * INTERVAL);
      boolean dies = i++ % 100 == 0; // 100 bots (1 %) crash together
      fleet.heartbeat(id, fleet.now + phase, dies ? crash : end, INTERVAL);
      if (dies) {
        crashed.add(id);
      }
    }

    fleet.runUntil(end);

    assertThat(fleet.deaths.keySet().equals(crashed)).as("exactly the crashed bots died").isTrue();
    assertThat(fleet.fleetEvents).isEmpty();
  }

  @Test
  void afterATakeoverEveryBotGetsAFullThreshold() {
    FleetSimulation fleet = new FleetSimulation(1_000, DEAD_AFTER);
    fleet.heartbeatAll(fleet.now, fleet.at(Duration.ofSeconds(60)), INTERVAL);
    fleet.runUntil(fleet.at(Duration.ofSeconds(60)));
    // The owner was gone for ten minutes; a new one takes over. 990 bots come back within a
    // minute, 10 do not.
    long takeover = fleet.at(Duration.ofMinutes(12));
    fleet.now = takeover;
    fleet.detector.takeOver(Instant.ofEpochMilli(takeover), null, fleet);
    int i = 0;
    for (String id : fleet.bots.keySet()) {
      if (i++ >= 10) {
        fleet.heartbeat(
            id,
            takeover + (long) (fleet.random.nextDouble() * 60_000),
            takeover + 600_000,
            INTERVAL);
      }
    }
    fleet.runUntil(takeover + DEAD_AFTER.toMillis() - FleetSimulation.TICK);
    assertThat(fleet.deaths.size()).as("nobody dies within the grace").isZero();

    fleet.runUntil(takeover + DEAD_AFTER.toMillis() + 1000);
    assertThat(fleet.deaths).hasSize(10);
    assertThat(fleet.fleetEvents).isEmpty();
  }

  @Test
  void aHeartbeatAnotherReplicaReceivedKeepsTheBotAlive() {
    FleetSimulation fleet = new FleetSimulation(10, DEAD_AFTER);
    fleet.elsewhere =
        ids -> Map.of("bot-3", Instant.ofEpochMilli(fleet.now - 1000)); // heard 1 s ago there
    fleet.runUntil(fleet.at(Duration.ofSeconds(121)));

    assertThat(fleet.deaths).doesNotContainKey("bot-3");
  }

  @Test
  void aStalledOwnerPostponesDeathsByTheStall() {
    FleetSimulation fleet = new FleetSimulation(10, DEAD_AFTER);
    fleet.runUntil(fleet.at(Duration.ofSeconds(100)));
    fleet.detector.stalled(fleet.now, 30_000);
    fleet.runUntil(fleet.at(Duration.ofSeconds(129)));
    assertThat(fleet.deaths).isEmpty();
  }
}
