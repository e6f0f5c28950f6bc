package io.botfleet.deploy.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.deploy.DeployTestSupport;
import io.botfleet.deploy.sim.SimBot;
import io.botfleet.deploy.sim.SimulatedFleet;
import io.botfleet.deploy.sim.SimulatedFleetResource;
import io.botfleet.deploy.v1.AnalysisResult;
import io.botfleet.deploy.v1.BotDeploymentState;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.DeploymentState;
import io.botfleet.deploy.v1.ResumeDeploymentRequest;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bots that misbehave: refuse, never report, die, go silent. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(SimulatedFleetResource.class)
class FailureModesTest extends DeployTestSupport {

  @Test
  void aBotThatRejectsTheUpdateRollsBackWhatWasUpdatedAndOnlyThat() {
    String group = uniqueGroup("perp-momentum");
    List<SimBot> bots = fleet.perpMomentum(group);
    SimBot refuser = fleet.bot(group + "-01").misbehaveOn("1.9.0", SimBot.Misbehaviour.REJECT);
    warmUp();

    Deployment created = deploy().createDeployment(toGroup(group, "1.9.0").build()).getDeployment();
    Deployment done = awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_ROLLED_BACK, 30);

    // Canary (03) and batch 1 (01, 02) received the update; batch 2 never did.
    assertThat(fleet.received("update_version"))
        .extracting(SimulatedFleet.Received::botName)
        .containsExactlyInAnyOrder(group + "-03", group + "-01", group + "-02");
    // The refuser still runs its old version: it gets no rollback; the others do.
    assertThat(fleet.received("rollback_version"))
        .extracting(SimulatedFleet.Received::botName)
        .containsExactlyInAnyOrder(group + "-03", group + "-02");
    assertThat(bot(done, refuser.name()).getState())
        .isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_FAILED);
    assertThat(bot(done, refuser.name()).getMessage())
        .contains("rejected")
        .contains("not supported");
    assertThat(done.getReason()).contains(refuser.name());
    assertThat(bots).extracting(SimBot::version).containsOnly("1.8.3");
  }

  @Test
  void anUpdateThatFleetServiceRefusesRollsBackTheCanary() {
    String group = uniqueGroup("perp-momentum");
    List<SimBot> bots = fleet.perpMomentum(group);
    fleet.refuseUpdatesFor(fleet.bot(group + "-02"));
    warmUp();

    Deployment created = deploy().createDeployment(toGroup(group, "1.9.0").build()).getDeployment();
    Deployment done = awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_ROLLED_BACK, 30);

    assertThat(fleet.received("update_version"))
        .extracting(SimulatedFleet.Received::botName)
        .containsExactly(group + "-03");
    assertThat(fleet.received("rollback_version"))
        .extracting(SimulatedFleet.Received::botName)
        .containsExactly(group + "-03");
    assertThat(bot(done, group + "-02").getMessage())
        .startsWith("fleet-service refused update_version")
        .contains("is stopped");
    assertThat(bots).extracting(SimBot::version).containsOnly("1.8.3");
  }

  @Test
  void aBotThatAcknowledgesButNeverReportsTheVersionPausesTheRolloutAtItsDeadline() {
    String group = uniqueGroup("perp-momentum");
    fleet.perpMomentum(group);
    SimBot canary =
        fleet.bot(group + "-03").misbehaveOn("1.9.0", SimBot.Misbehaviour.ACK_WITHOUT_VERSION);
    warmUp();

    Deployment created =
        deploy()
            .createDeployment(
                toGroup(group, "1.9.0")
                    .setParameters(quickParameters().setProgressDeadline(millis(1500)))
                    .build())
            .getDeployment();
    Deployment paused = awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_PAUSED, 20);

    assertThat(paused.getReason())
        .contains("progress deadline")
        .contains(canary.name() + " acknowledged but never reported 1.9.0");
    // Acknowledged is not updated.
    assertThat(bot(paused, canary.name()).getState())
        .isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATING);
    assertThat(fleet.received("update_version")).hasSize(1);
  }

  @Test
  void withAbortOnDeadlineAMissedDeadlineAborts() {
    String group = uniqueGroup("perp-momentum");
    fleet.perpMomentum(group);
    fleet.bot(group + "-03").misbehaveOn("1.9.0", SimBot.Misbehaviour.ACK_WITHOUT_VERSION);
    warmUp();

    Deployment created =
        deploy()
            .createDeployment(
                toGroup(group, "1.9.0")
                    .setParameters(
                        quickParameters()
                            .setProgressDeadline(millis(1500))
                            .setAbortOnDeadline(true))
                    .build())
            .getDeployment();
    Deployment aborted = awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_ABORTED, 20);

    assertThat(aborted.getReason()).contains("progress deadline");
    assertThat(aborted.hasEndTime()).isTrue();
  }

  @Test
  void aCanaryThatDiesFailsTheGateAndARollbackItNeverConfirmsNeedsAHuman() {
    String group = uniqueGroup("perp-momentum");
    fleet.perpMomentum(group);
    SimBot canary = fleet.bot(group + "-03").misbehaveOn("1.9.0", SimBot.Misbehaviour.DIES);
    warmUp();

    Deployment created =
        deploy()
            .createDeployment(
                toGroup(group, "1.9.0")
                    .setParameters(
                        quickParameters()
                            .setCanaryBake(millis(3000))
                            .setProgressDeadline(millis(1500)))
                    .build())
            .getDeployment();
    Deployment failed = awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_FAILED, 30);

    assertThat(failed.getGatesList())
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.getResult()).isEqualTo(AnalysisResult.ANALYSIS_RESULT_FAILED);
              assertThat(g.getReasonsList()).contains(canary.name() + " is dead");
            });
    assertThat(failed.getReason())
        .contains("rollback not confirmed")
        .contains(canary.name() + " never acknowledged rollback_version");
    assertThat(bot(failed, canary.name()).getState())
        .isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_ROLLING_BACK);
    assertThat(fleet.received("update_version"))
        .extracting(SimulatedFleet.Received::botName)
        .containsExactly(canary.name());
  }

  @Test
  void aCanaryThatFallsSilentIsInconclusiveAndWaitsForAHuman() throws InterruptedException {
    String group = uniqueGroup("perp-momentum");
    List<SimBot> bots = fleet.perpMomentum(group);
    SimBot canary = fleet.bot(group + "-03").misbehaveOn("1.9.0", SimBot.Misbehaviour.SILENT);
    warmUp();

    Deployment created =
        deploy()
            .createDeployment(
                toGroup(group, "1.9.0")
                    .setParameters(quickParameters().setCanaryBake(millis(3000)))
                    .build())
            .getDeployment();
    Deployment paused = awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_PAUSED, 30);

    assertThat(paused.getGatesList())
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.getResult()).isEqualTo(AnalysisResult.ANALYSIS_RESULT_INCONCLUSIVE);
              assertThat(g.getReasonsList())
                  .anySatisfy(
                      r -> assertThat(r).startsWith(canary.name() + " has been silent since"));
            });
    Thread.sleep(1000);
    assertThat(fleet.received("update_version")).hasSize(1);

    // The operator finds the canary's metrics exporter was down, brings it back, and promotes.
    canary.heartbeating(true);
    deploy()
        .resumeDeployment(
            ResumeDeploymentRequest.newBuilder().setDeploymentId(created.getId()).build());
    awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_COMPLETE, 30);
    assertThat(bots).extracting(SimBot::version).containsOnly("1.9.0");
  }
}
