package io.botfleet.deploy.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.botfleet.deploy.DeployTestSupport;
import io.botfleet.deploy.sim.SimBot;
import io.botfleet.deploy.sim.SimulatedFleet;
import io.botfleet.deploy.sim.SimulatedFleetResource;
import io.botfleet.deploy.v1.BotDeploymentState;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.DeploymentBot;
import io.botfleet.deploy.v1.DeploymentState;
import io.botfleet.deploy.v1.GetVersionMapRequest;
import io.botfleet.deploy.v1.GetVersionMapResponse;
import io.botfleet.devkit.GreenHelixStandIn;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The guide's canary flow, end to end over the simulated fleet. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(SimulatedFleetResource.class)
class CanaryRolloutTest extends DeployTestSupport {

  @Test
  void aGoodVersionRollsThroughPerpMomentumCanaryFirstInBatchesOfTwo() {
    String group = uniqueGroup("perp-momentum");
    List<SimBot> bots = fleet.perpMomentum(group);
    warmUp();

    Deployment created = deploy().createDeployment(toGroup(group, "1.9.0").build()).getDeployment();

    // The canary is the bot with the least to lose: the lowest PnL today (bot 03, 120 USD).
    assertThat(created.getId()).matches("deploy-[0-9a-f]{12}");
    assertThat(created.getCanaryBotName()).isEqualTo(group + "-03");
    assertThat(created.getState()).isEqualTo(DeploymentState.DEPLOYMENT_STATE_CANARY);
    assertThat(created.getBotsList())
        .extracting(
            DeploymentBot::getBotName, DeploymentBot::getBatch, DeploymentBot::getPreviousVersion)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(group + "-03", 0, "1.8.3"),
            org.assertj.core.groups.Tuple.tuple(group + "-01", 1, "1.8.3"),
            org.assertj.core.groups.Tuple.tuple(group + "-02", 1, "1.8.3"),
            org.assertj.core.groups.Tuple.tuple(group + "-04", 2, "1.8.3"),
            org.assertj.core.groups.Tuple.tuple(group + "-05", 2, "1.8.3"));

    Deployment done = awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_COMPLETE, 30);

    // Every bot got update_version exactly once, the canary alone first, then two batches of two.
    List<SimulatedFleet.Received> updates = fleet.received("update_version");
    assertThat(updates).hasSize(5);
    assertThat(updates.get(0).botName()).isEqualTo(group + "-03");
    assertThat(updates.get(0).field("role")).isEqualTo("canary");
    assertThat(updates.get(0).field("monitoring_duration_minutes")).isNotNull();
    Map<String, String> batchOf =
        updates.stream()
            .collect(Collectors.toMap(SimulatedFleet.Received::botName, r -> r.field("batch")));
    assertThat(batchOf)
        .containsEntry(group + "-01", "1.0")
        .containsEntry(group + "-02", "1.0")
        .containsEntry(group + "-04", "2.0")
        .containsEntry(group + "-05", "2.0");
    assertThat(updates.subList(1, 5))
        .allSatisfy(r -> assertThat(r.field("role")).isEqualTo("rolling"));
    assertThat(updates)
        .allSatisfy(
            r -> {
              assertThat(r.field("new_version")).isEqualTo("1.9.0");
              assertThat(r.field("deployment_id")).isEqualTo(created.getId());
              assertThat(r.field("artifact_ref")).isEqualTo("registry.example/perp-momentum:1.9.0");
            });
    // Batch 1 went out only after the canary had baked (1 s), batch 2 after batch 1's analysis.
    assertThat(Duration.between(updates.get(0).time(), updates.get(1).time()))
        .isGreaterThan(Duration.ofMillis(1000));
    assertThat(Duration.between(updates.get(2).time(), updates.get(3).time()))
        .isGreaterThan(Duration.ofMillis(500));
    assertThat(bots).allSatisfy(b -> assertThat(b.version()).isEqualTo("1.9.0"));
    assertThat(fleet.received("rollback_version")).isEmpty();

    assertThat(done.getBotsList())
        .allSatisfy(
            b ->
                assertThat(b.getState())
                    .isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATED));
    assertThat(done.getGatesList()).hasSize(3);
    assertThat(done.getGatesList())
        .allSatisfy(
            g ->
                assertThat(g.getResult())
                    .isEqualTo(io.botfleet.deploy.v1.AnalysisResult.ANALYSIS_RESULT_SUCCESSFUL));
    // The previous version's artifacts are kept 72 hours after completion.
    assertThat(done.getRetainPreviousUntilTime().getSeconds() - done.getEndTime().getSeconds())
        .isEqualTo(Duration.ofHours(72).toSeconds());

    GetVersionMapResponse map =
        deploy().getVersionMap(GetVersionMapRequest.newBuilder().setGroup(group).build());
    assertThat(map.getSkew()).isFalse();
    assertThat(map.getVersions(0).getVersion()).isEqualTo("1.9.0");
    assertThat(map.getVersions(0).getBotNamesList()).hasSize(5);

    GreenHelixStandIn greenHelix = GreenHelixTestResource.standIn();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> published(greenHelix, created.getId(), "fleet.deployment_complete") != null);
    JsonNode started = published(greenHelix, created.getId(), "fleet.deployment_started");
    assertThat(started.get("canary_bot").asText()).isEqualTo(bots.get(2).id());
    assertThat(started.get("canary_bot_name").asText()).isEqualTo(group + "-03");
    assertThat(started.get("strategy").asText()).isEqualTo("canary");
    assertThat(started.get("group").asText()).isEqualTo(group);
    JsonNode complete = published(greenHelix, created.getId(), "fleet.deployment_complete");
    assertThat(complete.get("bots_deployed").asInt()).isEqualTo(5);
    assertThat(complete.get("version").asText()).isEqualTo("1.9.0");
    assertThat(greenHelix.violations()).isEmpty();
  }

  @Test
  void aCanaryThatStartsErroringIsRolledBackAndNoOtherBotEverReceivesTheVersion() {
    String group = uniqueGroup("perp-momentum");
    List<SimBot> bots = fleet.perpMomentum(group);
    SimBot canary = fleet.bot(group + "-03").misbehaveOn("1.9.1", SimBot.Misbehaviour.ERRORS);
    warmUp();

    Deployment created = deploy().createDeployment(toGroup(group, "1.9.1").build()).getDeployment();
    Deployment rolledBack =
        awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_ROLLED_BACK, 30);

    assertThat(fleet.received("update_version"))
        .extracting(SimulatedFleet.Received::botName)
        .containsExactly(canary.name());
    List<SimulatedFleet.Received> rollbacks = fleet.received("rollback_version");
    assertThat(rollbacks)
        .extracting(SimulatedFleet.Received::botName)
        .containsExactly(canary.name());
    assertThat(rollbacks.get(0).field("previous_version")).isEqualTo("1.8.3");
    assertThat(rollbacks.get(0).field("reason")).isEqualTo("deployment_rollback");
    assertThat(bots).allSatisfy(b -> assertThat(b.version()).isEqualTo("1.8.3"));
    assertThat(rolledBack.getGatesList()).hasSize(1);
    assertThat(rolledBack.getGates(0).getResult())
        .isEqualTo(io.botfleet.deploy.v1.AnalysisResult.ANALYSIS_RESULT_FAILED);
    assertThat(rolledBack.getGates(0).getReasonsList())
        .anySatisfy(
            r -> assertThat(r).startsWith(canary.name() + " error_count").contains("vs group"));
    assertThat(rolledBack.getBotsList())
        .filteredOn(b -> !b.getBotName().equals(canary.name()))
        .allSatisfy(
            b ->
                assertThat(b.getState())
                    .isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_WAITING));

    GreenHelixStandIn greenHelix = GreenHelixTestResource.standIn();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> published(greenHelix, created.getId(), "fleet.deployment_rolled_back") != null);
    assertThat(published(greenHelix, created.getId(), "fleet.deployment_gate_failed")).isNotNull();
    assertThat(
            published(greenHelix, created.getId(), "fleet.deployment_rolled_back")
                .get("bots_rolled_back")
                .asInt())
        .isEqualTo(1);
    assertThat(greenHelix.violations()).isEmpty();
  }

  @Test
  void aCriticalBotInBatchTwoRollsBackBatchOneAndTheCanaryToo() {
    String group = uniqueGroup("perp-momentum");
    List<SimBot> bots = fleet.perpMomentum(group);
    fleet.bot(group + "-05").misbehaveOn("1.9.2", SimBot.Misbehaviour.CRITICAL);
    warmUp();

    Deployment created = deploy().createDeployment(toGroup(group, "1.9.2").build()).getDeployment();
    Deployment rolledBack =
        awaitState(created.getId(), DeploymentState.DEPLOYMENT_STATE_ROLLED_BACK, 30);

    assertThat(fleet.received("update_version")).hasSize(5);
    assertThat(fleet.received("rollback_version"))
        .extracting(SimulatedFleet.Received::botName)
        .containsExactlyInAnyOrder(
            group + "-01", group + "-02", group + "-03", group + "-04", group + "-05");
    assertThat(fleet.received("rollback_version"))
        .allSatisfy(r -> assertThat(r.field("previous_version")).isEqualTo("1.8.3"));
    assertThat(bots).allSatisfy(b -> assertThat(b.version()).isEqualTo("1.8.3"));
    assertThat(rolledBack.getBotsList())
        .allSatisfy(
            b ->
                assertThat(b.getState())
                    .isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_ROLLED_BACK));
    assertThat(rolledBack.getReason()).contains(group + "-05").contains("critical");
    // The canary's and batch 1's analyses passed; batch 2's failed.
    assertThat(rolledBack.getGatesList())
        .extracting(io.botfleet.deploy.v1.GateResult::getResult)
        .containsExactly(
            io.botfleet.deploy.v1.AnalysisResult.ANALYSIS_RESULT_SUCCESSFUL,
            io.botfleet.deploy.v1.AnalysisResult.ANALYSIS_RESULT_SUCCESSFUL,
            io.botfleet.deploy.v1.AnalysisResult.ANALYSIS_RESULT_FAILED);
  }

  static JsonNode published(GreenHelixStandIn greenHelix, String deploymentId, String type) {
    return greenHelix.accepted("publish_event").stream()
        .filter(c -> c.input().get("event_type").asText().equals(type))
        .map(c -> c.input().get("payload"))
        .filter(p -> p.get("deployment_id").asText().equals(deploymentId))
        .findFirst()
        .orElse(null);
  }
}
