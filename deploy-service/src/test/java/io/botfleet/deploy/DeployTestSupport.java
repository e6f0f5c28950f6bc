package io.botfleet.deploy;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.Duration;
import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.v1.BotIds;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.Scope;
import io.botfleet.deploy.sim.SimBot;
import io.botfleet.deploy.sim.SimulatedFleet;
import io.botfleet.deploy.sim.SimulatedFleetResource;
import io.botfleet.deploy.v1.CreateDeploymentRequest;
import io.botfleet.deploy.v1.DeployServiceGrpc;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.DeploymentState;
import io.botfleet.deploy.v1.GetDeploymentRequest;
import io.botfleet.deploy.v1.RolloutParameters;
import io.botfleet.deploy.v1.Selector;
import io.botfleet.deploy.v1.Strategy;
import io.botfleet.devkit.GrpcTestSupport;
import io.botfleet.devkit.TestPrincipal;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that roll versions out over the simulated fleet: an operator, a signed stub,
 * parameters short enough that a whole rollout takes seconds, and waits on deployment states.
 */
public abstract class DeployTestSupport extends GrpcTestSupport {

  @Inject protected KeyCache keyCache;

  protected SimulatedFleet fleet;
  protected TestPrincipal operator;

  @BeforeEach
  void setUpFleet() {
    fleet = SimulatedFleetResource.fleet();
    fleet.reset();
    operator = TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_OPERATOR).trustedBy(keyCache);
  }

  /** Aborts what a test left running, so the next test's driver ticks are not spent on it. */
  @org.junit.jupiter.api.AfterEach
  void abortLeftovers() {
    var page =
        deploy()
            .listDeployments(
                io.botfleet.deploy.v1.ListDeploymentsRequest.newBuilder()
                    .addStates(DeploymentState.DEPLOYMENT_STATE_CANARY)
                    .addStates(DeploymentState.DEPLOYMENT_STATE_ROLLING)
                    .addStates(DeploymentState.DEPLOYMENT_STATE_PAUSED)
                    .setPageSize(1000)
                    .build());
    for (Deployment d : page.getDeploymentsList()) {
      try {
        deploy()
            .abortDeployment(
                io.botfleet.deploy.v1.AbortDeploymentRequest.newBuilder()
                    .setDeploymentId(d.getId())
                    .setReason("test over")
                    .build());
      } catch (io.grpc.StatusRuntimeException e) {
        // It ended meanwhile.
      }
    }
  }

  /** The bot of a deployment with this name. */
  protected static io.botfleet.deploy.v1.DeploymentBot bot(Deployment d, String name) {
    return d.getBotsList().stream()
        .filter(b -> b.getBotName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no bot " + name + " in " + d.getId()));
  }

  /** Waits until a bot of the deployment is in {@code state}. */
  protected void awaitBot(String id, String name, io.botfleet.deploy.v1.BotDeploymentState state) {
    await()
        .atMost(java.time.Duration.ofSeconds(20))
        .pollInterval(java.time.Duration.ofMillis(20))
        .until(() -> bot(get(id), name).getState() == state);
  }

  /** Lets the simulated bots build a heartbeat history before a deployment starts. */
  protected void warmUp() {
    fleet.awaitHistory(java.time.Duration.ofMillis(700));
  }

  /** A group name no other test uses, starting with the guide's {@code prefix}. */
  protected static String uniqueGroup(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  protected DeployServiceGrpc.DeployServiceBlockingStub deploy() {
    return signed(operator, DeployServiceGrpc.newBlockingStub(channel));
  }

  /** Parameters scaled down from the guide's (30 min bake, 60 s between batches) to test speed. */
  protected static RolloutParameters.Builder quickParameters() {
    return RolloutParameters.newBuilder()
        .setCanaryBake(millis(1000))
        .setBatchDelay(millis(500))
        .setProgressDeadline(millis(4000))
        .setDrainTimeout(millis(3000));
  }

  protected static Duration millis(long ms) {
    return Duration.newBuilder()
        .setSeconds(ms / 1000)
        .setNanos((int) (ms % 1000) * 1_000_000)
        .build();
  }

  /** A canary deployment of {@code version} to a group with quick parameters. */
  protected static CreateDeploymentRequest.Builder toGroup(String group, String version) {
    return CreateDeploymentRequest.newBuilder()
        .setVersion(version)
        .setArtifactRef("registry.example/perp-momentum:" + version)
        .setSelector(Selector.newBuilder().setScope(Scope.newBuilder().setGroup(group)))
        .setStrategy(Strategy.STRATEGY_CANARY)
        .setParameters(quickParameters())
        .setRequestId(UUID.randomUUID().toString());
  }

  /** A deployment of {@code version} to chosen bots. */
  protected static CreateDeploymentRequest.Builder toBots(List<SimBot> bots, String version) {
    return toGroup("unused", version)
        .setSelector(
            Selector.newBuilder()
                .setScope(
                    Scope.newBuilder()
                        .setBots(
                            BotIds.newBuilder()
                                .addAllBotIds(bots.stream().map(SimBot::id).toList()))));
  }

  protected Deployment get(String id) {
    return deploy()
        .getDeployment(GetDeploymentRequest.newBuilder().setDeploymentId(id).build())
        .getDeployment();
  }

  /** Waits (up to {@code seconds}) until the deployment is in {@code state}; returns it. */
  protected Deployment awaitState(String id, DeploymentState state, int seconds) {
    AtomicReference<Deployment> last = new AtomicReference<>();
    try {
      await()
          .atMost(java.time.Duration.ofSeconds(seconds))
          .pollInterval(java.time.Duration.ofMillis(50))
          .until(
              () -> {
                last.set(get(id));
                return last.get().getState() == state;
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "deployment " + id + " did not become " + state + "; last seen " + describe(last.get()),
          e);
    }
    return last.get();
  }

  private static String describe(Deployment d) {
    if (d == null) {
      return "nothing";
    }
    StringBuilder s =
        new StringBuilder(
            d.getState() + " step " + d.getCurrentStep() + " reason '" + d.getReason() + "'");
    d.getBotsList()
        .forEach(
            b ->
                s.append("; ")
                    .append(b.getBotName())
                    .append(' ')
                    .append(b.getState())
                    .append(' ')
                    .append(b.getMessage()));
    return s.toString();
  }
}
