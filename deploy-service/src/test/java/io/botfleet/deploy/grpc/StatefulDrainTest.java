package io.botfleet.deploy.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.deploy.DeployTestSupport;
import io.botfleet.deploy.sim.SimBot;
import io.botfleet.deploy.sim.SimulatedFleet;
import io.botfleet.deploy.sim.SimulatedFleetResource;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.DeploymentState;
import io.botfleet.deploy.v1.Strategy;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.fleet.v1.BotStatus;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stateful groups (options market makers) drain before their update: pause, wait until the bot's
 * heartbeats show no open order (or the drain timeout), update, resume.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(SimulatedFleetResource.class)
class StatefulDrainTest extends DeployTestSupport {

  private List<SimBot> optionsMm(String group) {
    fleet.stateful(group);
    List<SimBot> bots = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      bots.add(fleet.add(group + "-0" + i, group, "deribit", "3.1.0").pnl("100" + i).openOrders(4));
    }
    return bots;
  }

  @Test
  void everyBotIsPausedDrainedUpdatedThenResumed() {
    String group = uniqueGroup("options-mm");
    List<SimBot> bots = optionsMm(group);
    warmUp();

    Deployment created =
        deploy()
            .createDeployment(
                toGroup(group, "3.2.0").setStrategy(Strategy.STRATEGY_ROLLING).build())
            .getDeployment();
    awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_COMPLETE, 40);

    for (SimBot bot : bots) {
      List<SimulatedFleet.Received> seen =
          fleet.received().stream().filter(r -> r.botName().equals(bot.name())).toList();
      assertThat(seen)
          .extracting(SimulatedFleet.Received::type)
          .containsExactly("pause", "update_version", "resume");
      // The update arrived only once the bot had no open order left.
      assertThat(seen.get(1).openOrders()).isZero();
      assertThat(bot.status()).isEqualTo(BotStatus.BOT_STATUS_ACTIVE);
      assertThat(bot.version()).isEqualTo("3.2.0");
    }
  }

  @Test
  void aBotThatCannotDrainIsUpdatedAfterTheDrainTimeoutAndSaysSo() {
    String group = uniqueGroup("options-mm");
    List<SimBot> bots = optionsMm(group);
    SimBot stuck = bots.get(0).stuckOrders();
    warmUp();

    Deployment created =
        deploy()
            .createDeployment(
                toGroup(group, "3.2.0")
                    .setStrategy(Strategy.STRATEGY_ALL_AT_ONCE)
                    .setParameters(quickParameters().setDrainTimeout(millis(1000)))
                    .build())
            .getDeployment();
    Deployment done = awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_COMPLETE, 40);

    SimulatedFleet.Received update =
        fleet.received("update_version").stream()
            .filter(r -> r.botName().equals(stuck.name()))
            .findFirst()
            .orElseThrow();
    assertThat(update.openOrders()).isEqualTo(4);
    assertThat(stuck.status()).isEqualTo(BotStatus.BOT_STATUS_ACTIVE);
    assertThat(fleet.received("update_version"))
        .filteredOn(r -> !r.botName().equals(stuck.name()))
        .allSatisfy(r -> assertThat(r.openOrders()).isZero());
    assertThat(bot(done, stuck.name()).getMessage())
        .startsWith("drain timeout (1 s) with 4 open orders");
  }
}
