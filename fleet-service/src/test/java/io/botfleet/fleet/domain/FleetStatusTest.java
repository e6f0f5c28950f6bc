package io.botfleet.fleet.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetStatusTest {

  @Test
  void botsThatLeftTheFleetAreNotCounted() {
    FleetStatus status =
        FleetStatus.of(
            "fleet-manager-acme",
            List.of(
                new FleetStatus.Count("spot-arb", BotStatus.ACTIVE, 3),
                new FleetStatus.Count("options-mm", BotStatus.PAUSED, 4),
                new FleetStatus.Count("options-mm", BotStatus.DEREGISTERED, 2),
                new FleetStatus.Count("spot-arb", BotStatus.REVOKED, 1)),
            Instant.EPOCH);

    assertThat(status.totalBots()).isEqualTo(7);
    assertThat(status.count(BotStatus.ACTIVE)).isEqualTo(3);
    assertThat(status.count(BotStatus.REVOKED)).isZero();
    assertThat(status.groupCounts().get("options-mm")).containsOnlyKeys(BotStatus.PAUSED);
  }
}
