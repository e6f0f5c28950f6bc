package io.botfleet.e2e.story;

import static io.botfleet.e2e.story.Story.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.botfleet.common.v1.AuditServiceGrpc;
import io.botfleet.common.v1.Event;
import io.botfleet.common.v1.ListEventsRequest;
import io.botfleet.common.v1.Scope;
import io.botfleet.deploy.v1.AnalysisResult;
import io.botfleet.deploy.v1.BotDeploymentState;
import io.botfleet.deploy.v1.CreateDeploymentRequest;
import io.botfleet.deploy.v1.DeployServiceGrpc;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.DeploymentBot;
import io.botfleet.deploy.v1.DeploymentState;
import io.botfleet.deploy.v1.GateResult;
import io.botfleet.deploy.v1.GetVersionMapRequest;
import io.botfleet.deploy.v1.GetVersionMapResponse;
import io.botfleet.deploy.v1.RolloutParameters;
import io.botfleet.deploy.v1.Selector;
import io.botfleet.deploy.v1.Strategy;
import io.botfleet.deploy.v1.VersionBots;
import io.botfleet.deploy.v1.WatchDeploymentRequest;
import io.botfleet.deploy.v1.WatchDeploymentResponse;
import io.botfleet.fleet.v1.BotStatus;
import io.botfleet.health.v1.GetBotHealthRequest;
import io.botfleet.health.v1.GetHeartbeatHistoryRequest;
import io.botfleet.sdk.command.CommandInfo;
import io.botfleet.sim.BotProfile;
import io.botfleet.sim.GuideFleet;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Chapter 6 over the real processes: deploy-service sends update_version and rollback_version
 * through fleet-service to SDK bots, whose handlers switch the version they report in their
 * heartbeats to health-service, whose GetBotHealth, WatchHealth and heartbeat history are
 * deploy-service's health gates.
 *
 * <p>Each test has its own group of bots on 1.0.0, heartbeating every 500 ms. The bake and batch
 * delay are set in the deployment request (seconds, not the guide's 30 min and 60 s);
 * deploy-service runs with its production settings (1 s tick), nothing set for the e2e run. The
 * canary is the bot with the lowest PnL today, from health-service's daily stats, which come from
 * minute rollups (a bot this young may have none yet): these bots all report the same PnL, and the
 * tests take the canary deploy-service names rather than guessing it (the PnL order itself is
 * pinned by deploy-service's CanaryChoiceTest).
 *
 * <p>The bots stay up until the JVM ends, like the guide's fleet: a group falling silent at once
 * would look like a mass silence to the tests that run after.
 */
class DeploymentIT {

  static final String BASE = "1.0.0";
  static final Duration HEARTBEAT = Duration.ofMillis(500);
  static final Duration BAKE = Duration.ofSeconds(4);
  static final Duration BATCH_DELAY = Duration.ofSeconds(3);
  static final Duration ROLLOUT = Duration.ofSeconds(60);

  final Story story = Story.get();

  @Test
  void aGoodVersionRollsOutCanaryFirstInBatchesAndCompletes() throws Exception {
    String group = "e2e-deploy-good";
    String version = "1.1.0";
    Map<String, E2eBot> bots = startGroup(group, 5);

    Deployment created = create(group, version);
    Watched watched = watch(created.getId());
    Deployment d = watched.last();

    assertThat(d.getState()).as(d.getReason()).isEqualTo(DeploymentState.DEPLOYMENT_STATE_COMPLETE);
    String canary = d.getCanaryBotName();
    assertThat(bots).containsKey(canary);
    assertThat(batches(d)).containsEntry(canary, 0);
    assertThat(batches(d).values().stream().sorted())
        .as("the canary alone in batch 0, then batches of 2")
        .containsExactly(0, 1, 1, 2, 2);
    assertThat(d.getBotsList())
        .allSatisfy(
            b -> {
              assertThat(b.getState()).isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATED);
              assertThat(b.getPreviousVersion()).isEqualTo(BASE);
            });
    assertThat(d.getGatesList())
        .extracting(GateResult::getResult)
        .hasSize(3)
        .containsOnly(AnalysisResult.ANALYSIS_RESULT_SUCCESSFUL);

    // Each bot's handler saw one update_version, with the guide's payload, and no rollback; each
    // batch was sent only after the analysis of the one before it passed.
    List<Instant> gateTimes =
        d.getGatesList().stream().map(g -> instant(g.getDecideTime())).sorted().toList();
    for (DeploymentBot b : d.getBotsList()) {
      E2eBot bot = bots.get(b.getBotName());
      List<CommandInfo> updates = of(bot, "update_version");
      assertThat(updates).as(b.getBotName()).hasSize(1);
      CommandInfo update = updates.get(0);
      assertThat(update.payload())
          .containsEntry("new_version", version)
          .containsEntry("deployment_id", d.getId())
          .containsEntry("role", b.getBatch() == 0 ? "canary" : "rolling");
      assertThat(((Number) update.payload().get("batch")).intValue()).isEqualTo(b.getBatch());
      assertThat(of(bot, "rollback_version")).as(b.getBotName()).isEmpty();
      if (b.getBatch() == 0) {
        assertThat(update.issueTime()).isBefore(gateTimes.get(0));
      } else {
        assertThat(update.issueTime())
            .as(b.getBotName() + " after the analysis of batch " + (b.getBatch() - 1))
            .isAfter(gateTimes.get(b.getBatch() - 1));
      }
      assertThat(bot.version()).isEqualTo(version);
    }

    // The new version as the bots report it, in health-service and (from its version events) in
    // fleet-service and the version map.
    for (E2eBot bot : bots.values()) {
      assertThat(reportedVersion(bot)).as(bot.name).isEqualTo(version);
    }
    await(
        "fleet-service has every bot on " + version,
        GuideFleetIT.SOON,
        () -> bots.keySet().stream().allMatch(n -> story.bot(n).getVersion().equals(version)));
    GetVersionMapResponse map = versionMap(group);
    assertThat(map.getSkew()).isFalse();
    assertThat(map.getVersionsList()).hasSize(1);
    assertThat(map.getVersionsList().get(0).getVersion()).isEqualTo(version);
    assertThat(map.getVersionsList().get(0).getBotNamesList())
        .containsExactlyElementsOf(bots.keySet());

    Map<String, Event> events = events(d.getId());
    assertThat(events).containsKeys("fleet.deployment_started", "fleet.deployment_complete");
    assertThat(events.get("fleet.deployment_started").getPayload().getFieldsMap())
        .extractingByKey("canary_bot_name")
        .satisfies(v -> assertThat(v.getStringValue()).isEqualTo(canary));
    assertThat(names(events.get("fleet.deployment_complete")))
        .containsExactlyInAnyOrderElementsOf(bots.keySet());
    assertThat(events).doesNotContainKeys("fleet.deployment_rolled_back");
    assertThat(watched.messages()).as("WatchDeployment's progress lines").hasSizeGreaterThan(3);
  }

  @Test
  void aCanaryThatStartsErroringIsRolledBackAndNoOtherBotReceivesTheVersion() throws Exception {
    String group = "e2e-deploy-bad";
    String version = "1.2.0-bad";
    Map<String, E2eBot> bots = startGroup(group, 4);
    // The version is bad on any bot: whichever runs it reports errors (a warning, not critical),
    // so only the comparison with the rest of the group at the end of the bake can catch it.
    bots.values().forEach(b -> b.faulty(version, 6));

    Deployment created = create(group, version);
    Deployment d = watch(created.getId()).last();

    assertThat(d.getState())
        .as(d.getReason())
        .isEqualTo(DeploymentState.DEPLOYMENT_STATE_ROLLED_BACK);
    String canary = d.getCanaryBotName();
    assertThat(d.getGatesList()).hasSize(1);
    GateResult gate = d.getGatesList().get(0);
    assertThat(gate.getResult()).isEqualTo(AnalysisResult.ANALYSIS_RESULT_FAILED);
    assertThat(gate.getReasonsList())
        .anySatisfy(r -> assertThat(r).contains(canary, "error_count"));

    for (DeploymentBot b : d.getBotsList()) {
      E2eBot bot = bots.get(b.getBotName());
      if (b.getBotName().equals(canary)) {
        assertThat(b.getState()).isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_ROLLED_BACK);
        assertThat(of(bot, "update_version")).hasSize(1);
        List<CommandInfo> rollbacks = of(bot, "rollback_version");
        assertThat(rollbacks).hasSize(1);
        assertThat(rollbacks.get(0).payload())
            .containsEntry("deployment_id", d.getId())
            .containsEntry("previous_version", BASE)
            .containsEntry("reason", "deployment_rollback");
        assertThat(bot.version()).isEqualTo(BASE);
        assertThat(reportedVersion(bot)).as("the canary's heartbeats").isEqualTo(BASE);
      } else {
        assertThat(b.getState())
            .as(b.getBotName())
            .isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_WAITING);
        assertThat(of(bot, "update_version")).as(b.getBotName() + " never received it").isEmpty();
        assertThat(of(bot, "rollback_version")).as(b.getBotName()).isEmpty();
        assertThat(bot.version()).isEqualTo(BASE);
      }
    }

    await(
        "fleet-service has the canary back on " + BASE,
        GuideFleetIT.SOON,
        () -> story.bot(canary).getVersion().equals(BASE));
    GetVersionMapResponse map = versionMap(group);
    assertThat(map.getSkew()).isFalse();
    assertThat(map.getVersionsList()).extracting(VersionBots::getVersion).containsExactly(BASE);

    Map<String, Event> events = events(d.getId());
    assertThat(events)
        .containsKeys(
            "fleet.deployment_started",
            "fleet.deployment_gate_failed",
            "fleet.deployment_rolled_back")
        .doesNotContainKeys("fleet.deployment_complete");
    assertThat(names(events.get("fleet.deployment_rolled_back"))).containsExactly(canary);
    // fleet-service's audit log: what deploy-service had it send, to which of these bots.
    String canaryId = bots.get(canary).agentId();
    assertThat(issuedByDeploy("update_version", d, bots)).containsExactly(canaryId);
    assertThat(issuedByDeploy("rollback_version", d, bots)).containsExactly(canaryId);
  }

  @Test
  void aBotOfBatchOneGoingCriticalRollsBackItsBatchAndTheCanaryAndBatchTwoNeverReceivesIt()
      throws Exception {
    String group = "e2e-deploy-batch";
    String version = "1.3.0";
    Map<String, E2eBot> bots = startGroup(group, 5);

    Deployment created = create(group, version);
    // Batches are fixed when the deployment is created: one bot of batch 1 goes critical on the
    // new version (20 errors per heartbeat), which WatchHealth and GetBotHealth show at once.
    String failing =
        created.getBotsList().stream()
            .filter(b -> b.getBatch() == 1)
            .map(DeploymentBot::getBotName)
            .findFirst()
            .orElseThrow();
    bots.get(failing).faulty(version, 20);
    Deployment d = watch(created.getId()).last();

    assertThat(d.getState())
        .as(d.getReason())
        .isEqualTo(DeploymentState.DEPLOYMENT_STATE_ROLLED_BACK);
    assertThat(d.getGatesList())
        .extracting(GateResult::getResult)
        .containsExactly(
            AnalysisResult.ANALYSIS_RESULT_SUCCESSFUL, AnalysisResult.ANALYSIS_RESULT_FAILED);
    assertThat(d.getGates(1).getReasonsList())
        .anySatisfy(r -> assertThat(r).contains(failing, "critical"));

    List<String> rolledBack = new ArrayList<>();
    for (DeploymentBot b : d.getBotsList()) {
      E2eBot bot = bots.get(b.getBotName());
      assertThat(bot.version()).as(b.getBotName()).isEqualTo(BASE);
      if (b.getBatch() <= 1) {
        rolledBack.add(b.getBotName());
        assertThat(b.getState())
            .as(b.getBotName())
            .isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_ROLLED_BACK);
        assertThat(of(bot, "update_version")).as(b.getBotName()).hasSize(1);
        assertThat(of(bot, "rollback_version")).as(b.getBotName()).hasSize(1);
        assertThat(reportedVersion(bot)).as(b.getBotName() + "'s heartbeats").isEqualTo(BASE);
      } else {
        assertThat(b.getState())
            .as(b.getBotName())
            .isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_WAITING);
        assertThat(of(bot, "update_version")).as(b.getBotName() + " never received it").isEmpty();
        assertThat(of(bot, "rollback_version")).as(b.getBotName()).isEmpty();
      }
    }
    assertThat(rolledBack).as("the canary and batch 1").hasSize(3).contains(d.getCanaryBotName());
    assertThat(names(events(d.getId()).get("fleet.deployment_rolled_back")))
        .containsExactlyInAnyOrderElementsOf(rolledBack);
    List<String> rolledBackIds = rolledBack.stream().map(n -> bots.get(n).agentId()).toList();
    assertThat(issuedByDeploy("update_version", d, bots))
        .containsExactlyInAnyOrderElementsOf(rolledBackIds);
    assertThat(issuedByDeploy("rollback_version", d, bots))
        .containsExactlyInAnyOrderElementsOf(rolledBackIds);
  }

  /**
   * Registers {@code size} bots in a group of their own and starts them; returns once every one is
   * active and health-service holds a batch delay's worth of their heartbeats (the baseline the
   * last analysis compares with, when every bot is updated).
   */
  private Map<String, E2eBot> startGroup(String group, int size) throws Exception {
    GuideFleet guide = new GuideFleet(story.asAdmin("fleet"), story.asAdmin("identity"));
    Map<String, E2eBot> bots = new LinkedHashMap<>();
    for (int i = 1; i <= size; i++) {
      String name = String.format("%s-%02d", group, i);
      var registered =
          guide.register(
              new BotProfile(
                  name, group, "binance", "perp-momentum", BASE, new BigDecimal("10000"), false));
      bots.put(name, E2eBot.start(story.fleet, name, registered.token(), false, HEARTBEAT));
    }
    Instant started = Instant.now();
    await(
        group + " active with a baseline of heartbeats",
        Duration.ofSeconds(30),
        () ->
            bots.keySet().stream()
                    .allMatch(n -> story.bot(n).getStatus() == BotStatus.BOT_STATUS_ACTIVE)
                && Instant.now().isAfter(started.plus(BATCH_DELAY))
                && bots.values().stream()
                    .allMatch(b -> heartbeats(b, Instant.now().minus(BATCH_DELAY)) >= 4));
    return bots;
  }

  private Deployment create(String group, String version) {
    return deploy()
        .createDeployment(
            CreateDeploymentRequest.newBuilder()
                .setVersion(version)
                .setArtifactRef("registry.example/perp-momentum:" + version)
                .setSelector(Selector.newBuilder().setScope(Scope.newBuilder().setGroup(group)))
                .setStrategy(Strategy.STRATEGY_CANARY)
                .setParameters(
                    RolloutParameters.newBuilder()
                        .setCanaryBake(duration(BAKE))
                        .setBatchSize(2)
                        .setBatchDelay(duration(BATCH_DELAY)))
                .setRequestId(UUID.randomUUID().toString())
                .build())
        .getDeployment();
  }

  /** What WatchDeployment streamed until the deployment ended (the stream ends with it). */
  record Watched(List<WatchDeploymentResponse> updates) {
    Deployment last() {
      return updates.get(updates.size() - 1).getDeployment();
    }

    List<String> messages() {
      return updates.stream().map(WatchDeploymentResponse::getMessage).toList();
    }
  }

  private Watched watch(String deploymentId) {
    List<WatchDeploymentResponse> updates = new ArrayList<>();
    Iterator<WatchDeploymentResponse> stream =
        DeployServiceGrpc.newBlockingStub(story.asAdmin("deploy"))
            .withDeadlineAfter(ROLLOUT.toMillis(), TimeUnit.MILLISECONDS)
            .watchDeployment(
                WatchDeploymentRequest.newBuilder().setDeploymentId(deploymentId).build());
    stream.forEachRemaining(updates::add);
    assertThat(updates).isNotEmpty();
    return new Watched(updates);
  }

  private static Map<String, Integer> batches(Deployment d) {
    return d.getBotsList().stream()
        .collect(Collectors.toMap(DeploymentBot::getBotName, DeploymentBot::getBatch));
  }

  private static List<CommandInfo> of(E2eBot bot, String type) {
    return bot.commands().stream().filter(c -> c.type().equals(type)).toList();
  }

  /** The version in the bot's latest heartbeat as health-service has it. */
  private String reportedVersion(E2eBot bot) {
    return story
        .healthStub()
        .getBotHealth(GetBotHealthRequest.newBuilder().setBotId(bot.agentId()).build())
        .getHealth()
        .getLatest()
        .getHeartbeat()
        .getVersion();
  }

  private long heartbeats(E2eBot bot, Instant since) {
    return story
        .healthStub()
        .getHeartbeatHistory(
            GetHeartbeatHistoryRequest.newBuilder()
                .setBotId(bot.agentId())
                .setStartTime(timestamp(since))
                .setEndTime(timestamp(Instant.now()))
                .build())
        .getPointsList()
        .stream()
        .mapToLong(p -> p.getSamples())
        .sum();
  }

  private GetVersionMapResponse versionMap(String group) {
    return deploy().getVersionMap(GetVersionMapRequest.newBuilder().setGroup(group).build());
  }

  /** deploy-service's audit events about one deployment, by type. */
  private Map<String, Event> events(String deploymentId) {
    var audit =
        AuditServiceGrpc.newBlockingStub(story.asAdmin("deploy"))
            .withDeadlineAfter(10, TimeUnit.SECONDS);
    Set<String> seen = new java.util.HashSet<>();
    Map<String, Event> byType = new LinkedHashMap<>();
    for (Event e :
        audit
            .listEvents(ListEventsRequest.newBuilder().setPageSize(1000).build())
            .getEventsList()) {
      var id = e.getPayload().getFieldsMap().get("deployment_id");
      if (id != null && id.getStringValue().equals(deploymentId) && seen.add(e.getType())) {
        byType.put(e.getType(), e);
      }
    }
    return byType;
  }

  /** The bot names an event lists ({@code bot_names}). */
  private static List<String> names(Event event) {
    return event.getPayload().getFieldsOrThrow("bot_names").getListValue().getValuesList().stream()
        .map(com.google.protobuf.Value::getStringValue)
        .toList();
  }

  /**
   * The bots of {@code bots} that fleet-service's audit log shows a command of {@code type} sent to
   * by deploy-service ({@code fleet.command_issued}, actor svc-deploy) since the deployment was
   * created, one entry per bot and command.
   */
  private List<String> issuedByDeploy(String type, Deployment d, Map<String, E2eBot> bots) {
    Set<String> ids = bots.values().stream().map(E2eBot::agentId).collect(Collectors.toSet());
    List<String> to = new ArrayList<>();
    for (Event e :
        story
            .fleetStub()
            .listEvents(
                io.botfleet.fleet.v1.ListEventsRequest.newBuilder()
                    .addTypes("fleet.command_issued")
                    .setActor("svc-deploy")
                    .setStartTime(d.getCreateTime())
                    .setPageSize(1000)
                    .build())
            .getEventsList()) {
      var fields = e.getPayload().getFieldsMap();
      if (fields.get("command").getStringValue().equals(type)) {
        fields.get("bot_ids").getListValue().getValuesList().stream()
            .map(com.google.protobuf.Value::getStringValue)
            .filter(ids::contains)
            .forEach(to::add);
      }
    }
    return to;
  }

  private DeployServiceGrpc.DeployServiceBlockingStub deploy() {
    return DeployServiceGrpc.newBlockingStub(story.asAdmin("deploy"))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).build();
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
