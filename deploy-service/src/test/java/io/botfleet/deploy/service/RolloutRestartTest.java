package io.botfleet.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.deploy.DeployTestSupport;
import io.botfleet.deploy.sim.SimBot;
import io.botfleet.deploy.sim.SimulatedFleet;
import io.botfleet.deploy.sim.SimulatedFleetResource;
import io.botfleet.deploy.v1.BotDeploymentState;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.DeploymentState;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * deploy-service killed mid-rollout: the driver is stopped the way a crash stops it (its thread
 * dies mid-call, its transaction never commits, its lease is not given back), and a new driver with
 * another identity takes over once the lease expires, from nothing but the database.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(SimulatedFleetResource.class)
class RolloutRestartTest extends DeployTestSupport {

  @Inject RolloutDriver driver;

  @AfterEach
  void driverRunsAgain() {
    fleet.releaseUpdateResponses();
    driver.start();
  }

  @Test
  void aRolloutKilledMidwayResumesWithoutRepeatingOrSkippingABot() throws Exception {
    String group = uniqueGroup("perp-momentum");
    List<SimBot> bots = fleet.perpMomentum(group);
    warmUp();
    Deployment created =
        deploy()
            .createDeployment(
                toGroup(group, "1.9.0")
                    .setParameters(quickParameters().setCanaryBake(millis(1500)))
                    .build())
            .getDeployment();
    String canary = created.getCanaryBotName();

    // First kill: while the canary bakes.
    awaitBot(created.getId(), canary, BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATED);
    String first = driver.owner();
    driver.stop(false);
    driver.start();
    String second = driver.owner();
    assertThat(second).isNotEqualTo(first);

    // Second kill: batch 1's update_version has reached fleet-service (and the bots), but the
    // driver dies before it learns the command id.
    fleet.holdUpdateResponses();
    assertThat(fleet.awaitHeldUpdate(Duration.ofSeconds(20))).isTrue();
    driver.stop(false);
    fleet.releaseUpdateResponses();
    Deployment mid = get(created.getId());
    assertThat(mid.getBotsList())
        .filteredOn(b -> b.getBatch() == 1)
        .allSatisfy(
            b -> {
              assertThat(b.getState()).isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATING);
              assertThat(b.getCommandId()).isEmpty();
            });
    driver.start();
    assertThat(driver.owner()).isNotIn(first, second);

    Deployment done = awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_COMPLETE, 40);

    // Nothing repeated: each bot received update_version exactly once, the canary first.
    List<SimulatedFleet.Received> updates = fleet.received("update_version");
    Map<String, Long> perBot =
        updates.stream()
            .collect(
                Collectors.groupingBy(SimulatedFleet.Received::botName, Collectors.counting()));
    assertThat(perBot).hasSize(5).allSatisfy((name, count) -> assertThat(count).isEqualTo(1));
    assertThat(updates.get(0).botName()).isEqualTo(canary);
    // The new driver found batch 1's decision and asked again under the same idempotency key;
    // fleet-service answered with the command it had stored instead of sending a second one.
    Map<String, Integer> calls = fleet.sendCallsByKey();
    assertThat(calls.entrySet())
        .filteredOn(e -> e.getKey().contains(":update:1:"))
        .singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo(2));
    // Nothing skipped: every bot updated, in its planned batch.
    Map<String, Integer> batchOf =
        created.getBotsList().stream()
            .collect(
                Collectors.toMap(
                    io.botfleet.deploy.v1.DeploymentBot::getBotName,
                    io.botfleet.deploy.v1.DeploymentBot::getBatch));
    assertThat(done.getBotsList())
        .allSatisfy(
            b -> {
              assertThat(b.getState()).isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATED);
              assertThat(b.getBatch()).isEqualTo(batchOf.get(b.getBotName()));
            });
    assertThat(bots).extracting(SimBot::version).containsOnly("1.9.0");
    // The canary's analysis ran once, over its stored window, not again after the restart.
    assertThat(done.getGatesList())
        .extracting(io.botfleet.deploy.v1.GateResult::getStep)
        .containsExactly(1, 3, 5);
  }
}
