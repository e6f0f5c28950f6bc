package io.botfleet.deploy.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.deploy.DeployTestSupport;
import io.botfleet.deploy.sim.SimBot;
import io.botfleet.deploy.sim.SimulatedFleet;
import io.botfleet.deploy.sim.SimulatedFleetResource;
import io.botfleet.deploy.v1.BotDeploymentState;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.DeploymentBot;
import io.botfleet.deploy.v1.DeploymentState;
import io.botfleet.deploy.v1.Strategy;
import io.botfleet.deploy.v1.WatchDeploymentRequest;
import io.botfleet.deploy.v1.WatchDeploymentResponse;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.fleet.v1.BotStatus;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Rolling and all-at-once rollouts, chosen bots, bots left out, and the progress stream. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(SimulatedFleetResource.class)
class StrategiesTest extends DeployTestSupport {

  @Test
  void aRollingUpdateByPercentNeverHasMoreThanMaxUnavailableBotsInFlight() {
    String group = uniqueGroup("perp-momentum");
    List<SimBot> bots = fleet.perpMomentum(group);
    warmUp();

    Deployment created =
        deploy()
            .createDeployment(
                toGroup(group, "1.9.0")
                    .setStrategy(Strategy.STRATEGY_ROLLING)
                    .setParameters(quickParameters().setBatchPercent(40).setMaxUnavailable(1))
                    .build())
            .getDeployment();
    assertThat(created.getState()).isEqualTo(DeploymentState.DEPLOYMENT_STATE_ROLLING);
    assertThat(created.getCanaryBotId()).isEmpty();
    // 40 % of 5 rounded up: batches of 2, 2, 1, by name.
    assertThat(created.getBotsList())
        .extracting(DeploymentBot::getBatch)
        .containsExactly(1, 1, 2, 2, 3);

    awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_COMPLETE, 30);

    // One bot at a time: every update_version went to a single bot.
    List<SimulatedFleet.Received> updates = fleet.received("update_version");
    assertThat(updates).hasSize(5);
    assertThat(updates.stream().map(SimulatedFleet.Received::commandId).distinct()).hasSize(5);
    assertThat(updates).extracting(SimulatedFleet.Received::botName).isSorted();
    assertThat(bots).extracting(SimBot::version).containsOnly("1.9.0");
  }

  @Test
  void allAtOnceSendsOneCommandToEveryBotAndAnalysesOnce() {
    String group = uniqueGroup("spot-arb");
    List<SimBot> bots = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      bots.add(fleet.add(group + "-0" + i, group, i == 3 ? "okx" : "binance", "2.4.1"));
    }
    warmUp();

    Deployment created =
        deploy()
            .createDeployment(
                toGroup(group, "2.5.0").setStrategy(Strategy.STRATEGY_ALL_AT_ONCE).build())
            .getDeployment();
    Deployment done = awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_COMPLETE, 30);

    assertThat(fleet.received("update_version")).hasSize(3);
    assertThat(
            fleet.received("update_version").stream()
                .map(SimulatedFleet.Received::commandId)
                .distinct())
        .hasSize(1);
    // Every bot was updated, so they were compared with their own past.
    assertThat(done.getGatesList())
        .singleElement()
        .satisfies(g -> assertThat(g.getReasons(0)).contains("pre-deployment"));
    assertThat(bots).extracting(SimBot::version).containsOnly("2.5.0");
  }

  @Test
  void chosenBotsAreTheOnlyOnesUpdatedAndBotsThatCannotBeAreLeftOut() {
    String group = uniqueGroup("perp-momentum");
    List<SimBot> bots = fleet.perpMomentum(group);
    SimBot standby = fleet.add(group + "-standby", group, "binance", "1.8.3").standby();
    SimBot paused = bots.get(1).status(BotStatus.BOT_STATUS_PAUSED);
    warmUp();
    List<SimBot> chosen = List.of(bots.get(0), paused, bots.get(2), standby);

    Deployment created =
        deploy()
            .createDeployment(
                toBots(chosen, "1.9.0").setStrategy(Strategy.STRATEGY_ROLLING).build())
            .getDeployment();
    assertThat(created.getGroup()).isEqualTo(group);
    assertThat(bot(created, standby.name()).getState())
        .isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_SKIPPED);
    Deployment done = awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_COMPLETE, 30);

    Map<String, BotDeploymentState> states =
        done.getBotsList().stream()
            .collect(Collectors.toMap(DeploymentBot::getBotName, DeploymentBot::getState));
    assertThat(states)
        .containsEntry(bots.get(0).name(), BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATED)
        .containsEntry(bots.get(2).name(), BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATED)
        .containsEntry(paused.name(), BotDeploymentState.BOT_DEPLOYMENT_STATE_SKIPPED)
        .containsEntry(standby.name(), BotDeploymentState.BOT_DEPLOYMENT_STATE_SKIPPED)
        .hasSize(4);
    assertThat(bot(done, paused.name()).getMessage()).isEqualTo("paused when its batch came");
    assertThat(fleet.received("update_version"))
        .extracting(SimulatedFleet.Received::botName)
        .containsExactlyInAnyOrder(bots.get(0).name(), bots.get(2).name());
    assertThat(bots.get(3).version()).isEqualTo("1.8.3");
    assertThat(bots.get(4).version()).isEqualTo("1.8.3");
  }

  @Test
  void watchDeploymentStreamsEveryStepUntilTheEnd() {
    String group = uniqueGroup("perp-momentum");
    fleet.perpMomentum(group);
    warmUp();
    Deployment created = deploy().createDeployment(toGroup(group, "1.9.0").build()).getDeployment();

    Iterator<WatchDeploymentResponse> stream =
        deploy()
            .withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
            .watchDeployment(
                WatchDeploymentRequest.newBuilder().setDeploymentId(created.getId()).build());
    List<WatchDeploymentResponse> seen = new ArrayList<>();
    stream.forEachRemaining(seen::add);

    assertThat(seen.get(0).getMessage()).startsWith("current state");
    assertThat(seen)
        .extracting(WatchDeploymentResponse::getMessage)
        .anySatisfy(m -> assertThat(m).startsWith("batch 1: update_version to "))
        .anySatisfy(m -> assertThat(m).startsWith("batch 2 done"));
    WatchDeploymentResponse last = seen.get(seen.size() - 1);
    assertThat(last.getMessage()).startsWith("complete: 5 bot(s) run 1.9.0");
    assertThat(last.getDeployment().getState())
        .isEqualTo(DeploymentState.DEPLOYMENT_STATE_COMPLETE);
    assertThat(last.getDeployment().getBotsCount()).isEqualTo(5);
  }
}
