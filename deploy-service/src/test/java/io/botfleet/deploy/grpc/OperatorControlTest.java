package io.botfleet.deploy.grpc;

import static io.botfleet.devkit.StatusDetails.badRequestFields;
import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.Scope;
import io.botfleet.deploy.DeployTestSupport;
import io.botfleet.deploy.sim.SimBot;
import io.botfleet.deploy.sim.SimulatedFleet;
import io.botfleet.deploy.sim.SimulatedFleetResource;
import io.botfleet.deploy.v1.AbortDeploymentRequest;
import io.botfleet.deploy.v1.BotDeploymentState;
import io.botfleet.deploy.v1.CreateDeploymentRequest;
import io.botfleet.deploy.v1.DeployServiceGrpc;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.DeploymentState;
import io.botfleet.deploy.v1.GetVersionMapRequest;
import io.botfleet.deploy.v1.GetVersionMapResponse;
import io.botfleet.deploy.v1.PauseDeploymentRequest;
import io.botfleet.deploy.v1.RollbackDeploymentRequest;
import io.botfleet.deploy.v1.RolloutStep;
import io.botfleet.deploy.v1.Selector;
import io.botfleet.deploy.v1.UpdateStep;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What operators can do to a deployment, and what they are refused. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(SimulatedFleetResource.class)
class OperatorControlTest extends DeployTestSupport {

  /** A canary that bakes long enough for the test to act in the middle. */
  private static CreateDeploymentRequest slowCanary(String group, String version) {
    return toGroup(group, version)
        .setParameters(quickParameters().setCanaryBake(millis(60_000)))
        .build();
  }

  @Test
  void aGroupHasOneActiveDeploymentAtATime() {
    String group = uniqueGroup("perp-momentum");
    List<SimBot> bots = fleet.perpMomentum(group);
    Deployment first = deploy().createDeployment(slowCanary(group, "1.9.0")).getDeployment();

    assertThatThrownBy(() -> deploy().createDeployment(slowCanary(group, "1.9.1")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(errorInfo(e).getReason()).isEqualTo("DEPLOYMENT_IN_PROGRESS");
              assertThat(errorInfo(e).getMetadataMap())
                  .containsEntry("deployment_id", first.getId());
            });
    // Chosen bots of that group are refused too.
    assertThatThrownBy(() -> deploy().createDeployment(toBots(bots.subList(3, 5), "1.9.1").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(errorInfo(e).getReason()).isEqualTo("DEPLOYMENT_IN_PROGRESS"));

    deploy()
        .abortDeployment(
            AbortDeploymentRequest.newBuilder()
                .setDeploymentId(first.getId())
                .setReason("done")
                .build());
    Deployment second = deploy().createDeployment(slowCanary(group, "1.9.1")).getDeployment();
    assertThat(second.getState()).isEqualTo(DeploymentState.DEPLOYMENT_STATE_CANARY);
  }

  @Test
  void theSameRequestIdCreatesOneDeployment() throws InterruptedException {
    String group = uniqueGroup("perp-momentum");
    fleet.perpMomentum(group);
    CreateDeploymentRequest request = slowCanary(group, "1.9.0");

    Deployment first = deploy().createDeployment(request).getDeployment();
    Deployment again = deploy().createDeployment(request).getDeployment();

    assertThat(again.getId()).isEqualTo(first.getId());
    awaitBot(
        first.getId(), first.getCanaryBotName(), BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATED);
    assertThat(fleet.received("update_version")).hasSize(1);
  }

  @Test
  void badRequestsNameEveryFieldAtFault() {
    CreateDeploymentRequest bad =
        CreateDeploymentRequest.newBuilder()
            .setVersion("")
            .setArtifactRef("registry example/bot")
            .setSelector(Selector.newBuilder().setScope(Scope.newBuilder().setFleet(true)))
            .setParameters(
                quickParameters()
                    .setBatchPercent(150)
                    .setCanaryBake(millis(0))
                    .setBatchDelay(millis(-5)))
            .addSteps(RolloutStep.newBuilder().setUpdate(UpdateStep.newBuilder().setRole("blue")))
            .build();

    assertThatThrownBy(() -> deploy().createDeployment(bad))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(badRequestFields(e))
                  .contains(
                      "artifact_ref",
                      "parameters.batch_delay",
                      "parameters.batch_percent",
                      "parameters.canary_bake",
                      "request_id",
                      "selector.scope",
                      "steps[0].update",
                      "steps[0].update.role",
                      "version");
            });
  }

  @Test
  void aPlanThatLeavesBotsOutIsRefused() {
    String group = uniqueGroup("perp-momentum");
    fleet.perpMomentum(group);
    CreateDeploymentRequest partial =
        toGroup(group, "1.9.0")
            .addSteps(RolloutStep.newBuilder().setUpdate(UpdateStep.newBuilder().setCount(3)))
            .build();

    assertThatThrownBy(() -> deploy().createDeployment(partial))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(badRequestFields(e)).containsExactly("steps");
              assertThat(e.getStatus().getDescription()).contains("3 of the 5 bots");
            });
    assertThat(fleet.received()).isEmpty();
  }

  @Test
  void unknownBotsAndEmptyGroupsAreRefused() {
    CreateDeploymentRequest unknownBot =
        toGroup("x", "1.0.0")
            .setSelector(
                Selector.newBuilder()
                    .setScope(
                        Scope.newBuilder()
                            .setBots(
                                io.botfleet.common.v1.BotIds.newBuilder().addBotIds("bot-nobody"))))
            .build();
    assertThatThrownBy(() -> deploy().createDeployment(unknownBot))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(badRequestFields(e)).containsExactly("selector.scope.bots.bot_ids[0]"));
    assertThatThrownBy(
            () -> deploy().createDeployment(toGroup(uniqueGroup("empty"), "1.0.0").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(errorInfo(e).getReason()).isEqualTo("NO_BOTS_SELECTED"));
  }

  @Test
  void aViewerCannotStartADeployment() {
    TestPrincipal viewer =
        TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_VIEWER).trustedBy(keyCache);
    assertThatThrownBy(
            () ->
                signed(viewer, DeployServiceGrpc.newBlockingStub(channel))
                    .createDeployment(toGroup("perp-momentum", "1.0.0").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  @Test
  void anOperatorRollbackReturnsTheUpdatedBotsAndNoOtherBotIsTouched() {
    String group = uniqueGroup("perp-momentum");
    List<SimBot> bots = fleet.perpMomentum(group);
    warmUp();
    Deployment created =
        deploy()
            .createDeployment(
                toGroup(group, "1.9.0")
                    .setParameters(quickParameters().setBatchDelay(millis(60_000)))
                    .build())
            .getDeployment();
    awaitBot(created.getId(), group + "-01", BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATED);
    awaitBot(created.getId(), group + "-02", BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATED);

    Deployment rollingBack =
        deploy()
            .rollbackDeployment(
                RollbackDeploymentRequest.newBuilder()
                    .setDeploymentId(created.getId())
                    .setReason("fills look wrong on bybit")
                    .build())
            .getDeployment();
    assertThat(rollingBack.getState()).isEqualTo(DeploymentState.DEPLOYMENT_STATE_ROLLING_BACK);
    Deployment done = awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_ROLLED_BACK, 20);

    assertThat(fleet.received("rollback_version"))
        .extracting(SimulatedFleet.Received::botName)
        .containsExactlyInAnyOrder(group + "-03", group + "-01", group + "-02");
    assertThat(fleet.received("update_version")).hasSize(3);
    assertThat(bots).extracting(SimBot::version).containsOnly("1.8.3");
    assertThat(done.getReason()).contains("fills look wrong on bybit");
    assertThat(bot(done, group + "-04").getState())
        .isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_WAITING);
  }

  @Test
  void abortStopsWhereItIsAndUpdatedBotsKeepTheNewVersion() throws InterruptedException {
    String group = uniqueGroup("perp-momentum");
    fleet.perpMomentum(group);
    Deployment created = deploy().createDeployment(slowCanary(group, "1.9.0")).getDeployment();
    awaitBot(
        created.getId(),
        created.getCanaryBotName(),
        BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATED);

    AbortDeploymentRequest abort =
        AbortDeploymentRequest.newBuilder()
            .setDeploymentId(created.getId())
            .setReason("wrong artifact")
            .build();
    Deployment aborted = deploy().abortDeployment(abort).getDeployment();
    assertThat(aborted.getState()).isEqualTo(DeploymentState.DEPLOYMENT_STATE_ABORTED);
    assertThat(deploy().abortDeployment(abort).getDeployment().getState())
        .isEqualTo(DeploymentState.DEPLOYMENT_STATE_ABORTED);
    Thread.sleep(1000);

    assertThat(fleet.bot(created.getCanaryBotName()).version()).isEqualTo("1.9.0");
    assertThat(fleet.received()).hasSize(1);
    assertThatThrownBy(
            () ->
                deploy()
                    .pauseDeployment(
                        PauseDeploymentRequest.newBuilder()
                            .setDeploymentId(created.getId())
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(errorInfo(e).getReason()).isEqualTo("DEPLOYMENT_ENDED"));
    assertThatThrownBy(() -> deploy().abortDeployment(abort.toBuilder().setReason("").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(badRequestFields(e)).containsExactly("reason"));
  }

  @Test
  void aCompletedDeploymentCanBeRolledBackWhileItsPreviousArtifactsAreKept() {
    String group = uniqueGroup("perp-momentum");
    List<SimBot> bots = fleet.perpMomentum(group);
    warmUp();
    Deployment created = deploy().createDeployment(toGroup(group, "1.9.0").build()).getDeployment();
    awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_COMPLETE, 30);

    deploy()
        .rollbackDeployment(
            RollbackDeploymentRequest.newBuilder()
                .setDeploymentId(created.getId())
                .setReason("PnL drift over the night")
                .build());
    Deployment done = awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_ROLLED_BACK, 20);

    assertThat(bots).extracting(SimBot::version).containsOnly("1.8.3");
    assertThat(done.getBotsList())
        .allSatisfy(
            b ->
                assertThat(b.getState())
                    .isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_ROLLED_BACK));
  }

  @Test
  void theVersionMapShowsSkewInTheMiddleOfARollout() {
    String group = uniqueGroup("perp-momentum");
    fleet.perpMomentum(group);
    Deployment created = deploy().createDeployment(slowCanary(group, "1.10.0")).getDeployment();
    awaitBot(
        created.getId(),
        created.getCanaryBotName(),
        BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATED);

    GetVersionMapResponse map =
        deploy().getVersionMap(GetVersionMapRequest.newBuilder().setGroup(group).build());

    assertThat(map.getSkew()).isTrue();
    assertThat(map.getVersionsList())
        .extracting(v -> v.getVersion())
        .containsExactly("1.10.0", "1.8.3");
    assertThat(map.getVersions(0).getBotNamesList()).containsExactly(created.getCanaryBotName());
    assertThat(map.getVersions(1).getBotNamesList()).hasSize(4).isSorted();
  }
}
