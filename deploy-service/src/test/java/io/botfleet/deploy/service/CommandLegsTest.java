package io.botfleet.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.deploy.DeployTestSupport;
import io.botfleet.deploy.domain.DeliveryState;
import io.botfleet.deploy.persistence.DeploymentBotEntity;
import io.botfleet.deploy.persistence.ProgressRepository;
import io.botfleet.deploy.sim.SimBot;
import io.botfleet.deploy.sim.SimulatedFleet;
import io.botfleet.deploy.sim.SimulatedFleetResource;
import io.botfleet.deploy.v1.BotDeploymentState;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.DeploymentState;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The update_version and rollback_version legs: what the journal says of each (operators and
 * tooling read it), and a rollback that is refused, by fleet-service or by the bot, leaving the
 * deployment FAILED for a human with the update's own record untouched.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(SimulatedFleetResource.class)
class CommandLegsTest extends DeployTestSupport {

  @Inject DeploymentLocks locks;
  @Inject ProgressRepository progress;

  @Test
  void theJournalNamesEachCommandSentAndEachBotConfirmedOnBothLegs() {
    String group = uniqueGroup("perp-momentum");
    fleet.perpMomentum(group);
    SimBot canary = fleet.bot(group + "-03").misbehaveOn("1.9.1", SimBot.Misbehaviour.ERRORS);
    warmUp();

    Deployment created = deploy().createDeployment(toGroup(group, "1.9.1").build()).getDeployment();
    awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_ROLLED_BACK, 30);

    String update = commandId("update_version");
    String rollback = commandId("rollback_version");
    assertThat(journal(created.getId()))
        .containsSubsequence(
            "canary: update_version to " + canary.name(),
            "sent update_version " + update + " to " + canary.name(),
            canary.name() + " runs 1.9.1",
            "sent rollback_version " + rollback + " (back to 1.8.3) to " + canary.name(),
            canary.name() + " is back on 1.8.3");
    DeploymentBotEntity row = row(created.getId(), canary);
    assertThat(row.updateCommandId).isEqualTo(update);
    assertThat(row.rollbackCommandId).isEqualTo(rollback);
    assertThat(row.commandId).isEqualTo(rollback);
    assertThat(row.ackedAt).isNotNull();
    assertThat(row.confirmedAt).isNotNull();
    assertThat(row.rollbackAckedAt).isAfterOrEqualTo(row.ackedAt);
    assertThat(row.message).isNull();
  }

  @Test
  void aRollbackThatFleetServiceRefusesLeavesTheDeploymentFailedForAHuman() {
    String group = uniqueGroup("perp-momentum");
    fleet.perpMomentum(group);
    SimBot canary = fleet.bot(group + "-03").misbehaveOn("1.9.1", SimBot.Misbehaviour.ERRORS);
    fleet.refuseRollbacksFor(canary);
    warmUp();

    Deployment created = deploy().createDeployment(toGroup(group, "1.9.1").build()).getDeployment();
    Deployment failed = awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_FAILED, 30);

    assertThat(fleet.received("rollback_version")).isEmpty();
    assertThat(canary.version()).isEqualTo("1.9.1");
    assertThat(bot(failed, canary.name()).getState())
        .isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_FAILED);
    assertThat(bot(failed, canary.name()).getMessage())
        .startsWith("fleet-service refused rollback_version: ")
        .contains("is stopped");
    assertThat(failed.getReason())
        .startsWith(
            "rollback failed: " + canary.name() + " fleet-service refused rollback_version");
    DeploymentBotEntity row = row(created.getId(), canary);
    assertThat(row.rollbackDelivery).isEqualTo(DeliveryState.REJECTED);
    assertThat(row.rollbackCommandId).isNull();
    // What is known of the update it was to undo stays as it was.
    assertThat(row.updateDelivery.acknowledged()).isTrue();
    assertThat(row.updateCommandId).isEqualTo(commandId("update_version"));
    assertThat(journal(created.getId()))
        .contains("fleet-service refused rollback_version to " + canary.name());
  }

  @Test
  void aBotThatRejectsItsRollbackLeavesTheDeploymentFailedForAHuman() {
    String group = uniqueGroup("perp-momentum");
    fleet.perpMomentum(group);
    SimBot canary =
        fleet
            .bot(group + "-03")
            .misbehaveOn("1.9.1", SimBot.Misbehaviour.ERRORS)
            .rejectsRollbacks();
    warmUp();

    Deployment created = deploy().createDeployment(toGroup(group, "1.9.1").build()).getDeployment();
    Deployment failed = awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_FAILED, 30);

    assertThat(fleet.received("rollback_version"))
        .extracting(SimulatedFleet.Received::botName)
        .containsExactly(canary.name());
    assertThat(canary.version()).isEqualTo("1.9.1");
    String message = "rollback_version rejected: version 1.8.3 is no longer installed";
    assertThat(bot(failed, canary.name()).getState())
        .isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_FAILED);
    assertThat(bot(failed, canary.name()).getMessage()).isEqualTo(message);
    assertThat(failed.getReason()).isEqualTo("rollback failed: " + canary.name() + " " + message);
    DeploymentBotEntity row = row(created.getId(), canary);
    assertThat(row.rollbackDelivery).isEqualTo(DeliveryState.REJECTED);
    assertThat(row.rollbackAckedAt).isNull();
    assertThat(row.updateDelivery.acknowledged()).isTrue();
    assertThat(journal(created.getId())).contains(canary.name() + " " + message);
  }

  private String commandId(String type) {
    List<SimulatedFleet.Received> received = fleet.received(type);
    assertThat(received).hasSize(1);
    return received.get(0).commandId();
  }

  private DeploymentBotEntity row(String deploymentId, SimBot bot) {
    return locks.snapshot(deploymentId).orElseThrow().bots().stream()
        .filter(b -> b.botId.equals(bot.id()))
        .findFirst()
        .orElseThrow();
  }

  private List<String> journal(String deploymentId) {
    return QuarkusTransaction.requiringNew().call(() -> progress.after(deploymentId, 0)).stream()
        .map(ProgressRepository.Line::message)
        .toList();
  }
}
