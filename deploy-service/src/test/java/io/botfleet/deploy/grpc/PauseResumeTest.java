package io.botfleet.deploy.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.deploy.DeployTestSupport;
import io.botfleet.deploy.sim.SimBot;
import io.botfleet.deploy.sim.SimulatedFleet;
import io.botfleet.deploy.sim.SimulatedFleetResource;
import io.botfleet.deploy.v1.AnalysisStep;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.DeploymentState;
import io.botfleet.deploy.v1.PauseDeploymentRequest;
import io.botfleet.deploy.v1.PauseStep;
import io.botfleet.deploy.v1.ResumeDeploymentRequest;
import io.botfleet.deploy.v1.RolloutStep;
import io.botfleet.deploy.v1.UpdateStep;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.StatusDetails;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pausing, resuming and promoting: a paused deployment sends nothing until it is resumed. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(SimulatedFleetResource.class)
class PauseResumeTest extends DeployTestSupport {

  @Test
  void aPausedDeploymentSendsNothingUntilResumed() throws InterruptedException {
    String group = uniqueGroup("perp-momentum");
    List<SimBot> bots = fleet.perpMomentum(group);
    warmUp();
    Deployment created = deploy().createDeployment(toGroup(group, "1.9.0").build()).getDeployment();
    // The canary runs the new version and bakes (step 1, the analysis).
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .until(() -> get(created.getId()).getCurrentStep() == 1);

    Deployment paused =
        deploy()
            .pauseDeployment(
                PauseDeploymentRequest.newBuilder()
                    .setDeploymentId(created.getId())
                    .setReason("watch the canary through the funding window")
                    .build())
            .getDeployment();
    assertThat(paused.getState()).isEqualTo(DeploymentState.DEPLOYMENT_STATE_PAUSED);
    assertThat(paused.getPausedFrom()).isEqualTo(DeploymentState.DEPLOYMENT_STATE_CANARY);
    assertThat(paused.getReason()).isEqualTo("watch the canary through the funding window");
    int sent = fleet.received().size();

    // Well past the canary's bake (1 s) and many driver ticks: nothing moves, nothing is sent.
    Thread.sleep(3000);
    Deployment still = get(created.getId());
    assertThat(fleet.received()).hasSize(sent);
    assertThat(still.getState()).isEqualTo(DeploymentState.DEPLOYMENT_STATE_PAUSED);
    assertThat(still.getCurrentStep()).isEqualTo(1);
    assertThat(still.getGatesList()).isEmpty();
    // Pausing again is not an error.
    deploy()
        .pauseDeployment(
            PauseDeploymentRequest.newBuilder().setDeploymentId(created.getId()).build());

    Deployment resumed =
        deploy()
            .resumeDeployment(
                ResumeDeploymentRequest.newBuilder().setDeploymentId(created.getId()).build())
            .getDeployment();
    assertThat(resumed.getState()).isEqualTo(DeploymentState.DEPLOYMENT_STATE_CANARY);
    assertThat(resumed.getCurrentStep()).isEqualTo(1);

    awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_COMPLETE, 30);
    assertThat(fleet.received("update_version")).hasSize(5);
    assertThat(bots).extracting(SimBot::version).containsOnly("1.9.0");
    // The canary's analysis observed a full bake after the resume.
    List<SimulatedFleet.Received> updates = fleet.received("update_version");
    assertThat(java.time.Duration.between(updates.get(0).time(), updates.get(1).time()))
        .isGreaterThan(java.time.Duration.ofMillis(4000));
  }

  @Test
  void aPauseStepWithoutDurationWaitsForAnOperatorToPromote() throws InterruptedException {
    String group = uniqueGroup("perp-momentum");
    fleet.perpMomentum(group);
    warmUp();
    List<RolloutStep> plan =
        List.of(
            RolloutStep.newBuilder()
                .setUpdate(UpdateStep.newBuilder().setCount(1).setRole("canary"))
                .build(),
            RolloutStep.newBuilder().setPause(PauseStep.getDefaultInstance()).build(),
            RolloutStep.newBuilder()
                .setAnalysis(AnalysisStep.newBuilder().setDuration(millis(500)))
                .build(),
            RolloutStep.newBuilder().setUpdate(UpdateStep.newBuilder().setPercent(100)).build(),
            RolloutStep.newBuilder()
                .setAnalysis(AnalysisStep.newBuilder().setDuration(millis(500)))
                .build());
    Deployment created =
        deploy()
            .createDeployment(toGroup(group, "2.0.0").addAllSteps(plan).build())
            .getDeployment();

    Deployment waiting = awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_PAUSED, 20);
    assertThat(waiting.getCurrentStep()).isEqualTo(1);
    assertThat(waiting.getReason()).contains("promote");
    Thread.sleep(1000);
    assertThat(fleet.received("update_version")).hasSize(1);

    deploy()
        .resumeDeployment(
            ResumeDeploymentRequest.newBuilder().setDeploymentId(created.getId()).build());

    Deployment done = awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_COMPLETE, 20);
    assertThat(done.getStepsCount()).isEqualTo(5);
    // "update 100 %" took the other four bots in one command.
    assertThat(fleet.received("update_version")).hasSize(5);
    assertThat(fleet.received("update_version").subList(1, 5))
        .extracting(SimulatedFleet.Received::commandId)
        .containsOnly(fleet.received("update_version").get(1).commandId());
  }

  @Test
  void resumingADeploymentThatIsNotPausedIsRefused() {
    String group = uniqueGroup("perp-momentum");
    fleet.perpMomentum(group);
    warmUp();
    Deployment created =
        deploy()
            .createDeployment(
                toGroup(group, "2.0.1")
                    .setParameters(quickParameters().setCanaryBake(millis(20_000)))
                    .build())
            .getDeployment();

    assertThatThrownBy(
            () ->
                deploy()
                    .resumeDeployment(
                        ResumeDeploymentRequest.newBuilder()
                            .setDeploymentId(created.getId())
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(StatusDetails.errorInfo(e).getReason()).isEqualTo("DEPLOYMENT_NOT_PAUSED");
            });
    assertThatThrownBy(
            () ->
                deploy()
                    .pauseDeployment(
                        PauseDeploymentRequest.newBuilder()
                            .setDeploymentId("deploy-000000000000")
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }
}
