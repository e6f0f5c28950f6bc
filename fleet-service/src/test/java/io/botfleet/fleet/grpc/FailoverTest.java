package io.botfleet.fleet.grpc;

import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.fleet.FleetTestSupport;
import io.botfleet.fleet.TestBot;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.BotCommand;
import io.botfleet.fleet.v1.BotStatus;
import io.botfleet.fleet.v1.FailoverMode;
import io.botfleet.fleet.v1.GroupPolicy;
import io.botfleet.fleet.v1.InitiateFailoverRequest;
import io.botfleet.fleet.v1.ListEventsRequest;
import io.botfleet.fleet.v1.ListGroupPoliciesRequest;
import io.botfleet.fleet.v1.SetGroupPolicyRequest;
import io.botfleet.health.v1.HealthEventType;
import io.botfleet.health.v1.HealthStatus;
import io.botfleet.health.v1.WatchHealthResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesTestResource.class)
class FailoverTest extends FleetTestSupport {

  @Test
  void aDeadBotInAManualGroupWaitsForTheOperatorWhoFailsItOverToAStandby() {
    String group = "options-mm-" + unique();
    policy(group, FailoverMode.FAILOVER_MODE_MANUAL, true, 0.8);
    Bot dead =
        register(botRequest(group + "-01", group, "deribit").setStrategy("delta-neutral-mm"));
    Bot standby = register(botRequest(group + "-standby", group, "deribit").setStandby(true));
    try (TestBot deadStream = connect(dead);
        TestBot standbyStream = connect(standby)) {
      awaitStatus(standby.getId(), BotStatus.BOT_STATUS_STANDBY);
      fakes().health.dead(dead.getId());
      awaitStatus(dead.getId(), BotStatus.BOT_STATUS_DEAD);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !events("fleet.failover_needed", dead.getId()).isEmpty());
      standbyStream.expectNothing(Duration.ofMillis(300));

      var failover =
          fleet(operator())
              .initiateFailover(
                  InitiateFailoverRequest.newBuilder()
                      .setDeadBotId(dead.getId())
                      .setRequestId(requestId())
                      .build())
              .getFailover();

      assertThat(failover.getReplacementBotId()).isEqualTo(standby.getId());
      assertThat(failover.getReconcilePositions()).isTrue();
      assertThat(failover.getAutomatic()).isFalse();
      BotCommand command = standbyStream.next();
      assertThat(command.getType()).isEqualTo("assume_responsibility");
      var payload = command.getPayload().getFieldsMap();
      assertThat(payload.get("from_bot").getStringValue()).isEqualTo(dead.getId());
      assertThat(payload.get("group").getStringValue()).isEqualTo(group);
      assertThat(payload.get("exchange").getStringValue()).isEqualTo("deribit");
      assertThat(payload.get("strategy").getStringValue()).isEqualTo("delta-neutral-mm");
      assertThat(payload.get("reason").getStringValue()).isEqualTo("failover_from_dead_bot");
      assertThat(payload.get("reconcile_positions_first").getBoolValue()).isTrue();
      assertThat(payload).containsKey("timestamp");
      awaitStatus(standby.getId(), BotStatus.BOT_STATUS_ACTIVE);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  fakes().health.tracked(standby.getId()) != null
                      && !fakes().health.tracked(standby.getId()).getStandby());
      var event = events("fleet.failover", dead.getId()).get(0).getPayload().getFieldsMap();
      assertThat(event.get("dead_bot").getStringValue()).isEqualTo(dead.getId());
      assertThat(event.get("replacement_bot").getStringValue()).isEqualTo(standby.getId());
      assertThat(event).containsKeys("group", "exchange");

      assertThatThrownBy(
              () ->
                  fleet(operator())
                      .initiateFailover(
                          InitiateFailoverRequest.newBuilder()
                              .setDeadBotId(dead.getId())
                              .setRequestId(requestId())
                              .build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(errorInfo(e).getReason()).isEqualTo("ALREADY_FAILED_OVER"));
    }
  }

  @Test
  void anAutomaticGroupFailsOverByItselfWhileTheFleetIsHealthy() {
    String group = "spot-arb-" + unique();
    policy(group, FailoverMode.FAILOVER_MODE_AUTOMATIC, false, 0.01);
    // Most of the fleet is alive (whatever other tests left dead).
    for (int i = 0; i < 3; i++) {
      connect(register(group, "okx")).close();
    }
    Bot dead = register(group, "binance");
    Bot standby = register(botRequest(group + "-standby", group, "binance").setStandby(true));
    try (TestBot deadStream = connect(dead);
        TestBot standbyStream = connect(standby)) {
      awaitStatus(standby.getId(), BotStatus.BOT_STATUS_STANDBY);

      fakes().health.dead(dead.getId());

      BotCommand command = standbyStream.next(Duration.ofSeconds(10));
      assertThat(command.getType()).isEqualTo("assume_responsibility");
      assertThat(
              command.getPayload().getFieldsMap().get("reconcile_positions_first").getBoolValue())
          .isFalse();
      awaitStatus(standby.getId(), BotStatus.BOT_STATUS_ACTIVE);
      assertThat(
              events("fleet.failover", dead.getId())
                  .get(0)
                  .getPayload()
                  .getFieldsMap()
                  .get("automatic")
                  .getBoolValue())
          .isTrue();
    }
  }

  @Test
  void duringAMassSilenceAnAutomaticGroupEscalatesInstead() {
    String group = "perp-" + unique();
    policy(group, FailoverMode.FAILOVER_MODE_AUTOMATIC, false, 0.01);
    Bot dead = register(group, "okx");
    Bot standby = register(botRequest(group + "-standby", group, "okx").setStandby(true));
    try (TestBot deadStream = connect(dead);
        TestBot standbyStream = connect(standby)) {
      awaitStatus(standby.getId(), BotStatus.BOT_STATUS_STANDBY);
      fakes()
          .health
          .emit(
              WatchHealthResponse.newBuilder()
                  .setType(HealthEventType.HEALTH_EVENT_TYPE_MASS_SILENCE_STARTED));
      try {
        fakes().health.dead(dead.getId());

        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> !events("fleet.failover_escalated", dead.getId()).isEmpty());
        assertThat(
                events("fleet.failover_escalated", dead.getId())
                    .get(0)
                    .getPayload()
                    .getFieldsMap()
                    .get("reason")
                    .getStringValue())
            .startsWith("mass_silence");
        standbyStream.expectNothing(Duration.ofMillis(500));
        assertThat(get(standby.getId()).getStatus()).isEqualTo(BotStatus.BOT_STATUS_STANDBY);
      } finally {
        fakes()
            .health
            .emit(
                WatchHealthResponse.newBuilder()
                    .setType(HealthEventType.HEALTH_EVENT_TYPE_MASS_SILENCE_ENDED));
      }
    }
  }

  @Test
  void whenTooMuchOfTheFleetIsDeadAnAutomaticGroupEscalates() {
    String group = "thin-" + unique();
    // Any death at all leaves less than the whole fleet alive: the policy's threshold is not met.
    policy(group, FailoverMode.FAILOVER_MODE_AUTOMATIC, false, 1.0);
    Bot dead = register(group, "okx");
    Bot standby = register(botRequest(group + "-standby", group, "okx").setStandby(true));
    try (TestBot deadStream = connect(dead);
        TestBot standbyStream = connect(standby)) {
      awaitStatus(standby.getId(), BotStatus.BOT_STATUS_STANDBY);

      fakes().health.dead(dead.getId());

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !events("fleet.failover_escalated", dead.getId()).isEmpty());
      assertThat(
              events("fleet.failover_escalated", dead.getId())
                  .get(0)
                  .getPayload()
                  .getFieldsMap()
                  .get("reason")
                  .getStringValue())
          .startsWith("too_many_dead");
      standbyStream.expectNothing(Duration.ofMillis(300));
    }
  }

  @Test
  void aRecoveredBotComesBackAsItWasToldToBe() {
    Bot bot = register("phoenix-" + unique(), "binance");
    try (TestBot stream = connect(bot)) {
      fakes().health.dead(bot.getId());
      awaitStatus(bot.getId(), BotStatus.BOT_STATUS_DEAD);

      fakes()
          .health
          .emit(
              WatchHealthResponse.newBuilder()
                  .setType(HealthEventType.HEALTH_EVENT_TYPE_BOT_RECOVERED)
                  .setBotId(bot.getId())
                  .setStatus(HealthStatus.HEALTH_STATUS_HEALTHY));

      awaitStatus(bot.getId(), BotStatus.BOT_STATUS_ACTIVE);
    }
  }

  @Test
  void aCriticalSlaBreachPausesExactlyThatBotWithTheReasonRecorded() {
    String group = "spot-arb-" + unique();
    Bot bot = register(botRequest(group + "-01", group, "binance"));
    Bot neighbour = register(botRequest(group + "-02", group, "binance"));
    try (TestBot stream = connect(bot);
        TestBot neighbourStream = connect(neighbour)) {
      awaitStatus(bot.getId(), BotStatus.BOT_STATUS_ACTIVE);
      awaitStatus(neighbour.getId(), BotStatus.BOT_STATUS_ACTIVE);
      fakes()
          .health
          .emit(
              WatchHealthResponse.newBuilder()
                  .setType(HealthEventType.HEALTH_EVENT_TYPE_SLA_CRITICAL)
                  .setBotId(bot.getId())
                  .setGroup(group)
                  .addIssues("max_drawdown_pct: drawdown 8% above the limit 5% (critical)"));

      BotCommand pause = stream.next(Duration.ofSeconds(10));
      assertThat(pause.getType()).isEqualTo("pause");
      assertThat(pause.getPayload().getFieldsMap().get("reason").getStringValue())
          .isEqualTo("sla_critical: max_drawdown_pct: drawdown 8% above the limit 5% (critical)");
      awaitStatus(bot.getId(), BotStatus.BOT_STATUS_PAUSED);
      assertThat(get(bot.getId()).getStatusReason()).contains("sla_critical");
      // Its group, its exchange, its neighbour: untouched.
      neighbourStream.expectNothing(Duration.ofMillis(500));
      assertThat(get(neighbour.getId()).getStatus()).isEqualTo(BotStatus.BOT_STATUS_ACTIVE);
    }
  }

  @Test
  void aWatchThatBreaksResumesWithoutLosingEvents() {
    Bot bot = register("resume-" + unique(), "okx");
    try (TestBot stream = connect(bot)) {
      fakes().health.dropWatchers();
      fakes().health.dead(bot.getId());

      awaitStatus(bot.getId(), BotStatus.BOT_STATUS_DEAD);
    }
  }

  @Test
  void onlyADeadBotFailsOver() {
    Bot alive = register("alive-" + unique(), "okx");
    assertThatThrownBy(
            () ->
                fleet(operator())
                    .initiateFailover(
                        InitiateFailoverRequest.newBuilder()
                            .setDeadBotId(alive.getId())
                            .setRequestId(requestId())
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(errorInfo(e).getReason()).isEqualTo("BOT_NOT_DEAD");
            });
  }

  @Test
  void groupPoliciesAreListedAsSetAndValidated() {
    String group = "policy-" + unique();
    policy(group, FailoverMode.FAILOVER_MODE_AUTOMATIC, true, 0.9);

    var listed =
        fleet(viewer())
            .listGroupPolicies(ListGroupPoliciesRequest.getDefaultInstance())
            .getPoliciesList()
            .stream()
            .filter(p -> p.getGroup().equals(group))
            .findFirst()
            .orElseThrow();
    assertThat(listed.getFailoverMode()).isEqualTo(FailoverMode.FAILOVER_MODE_AUTOMATIC);
    assertThat(listed.getStateful()).isTrue();
    assertThat(listed.getMinHealthyShare()).isEqualTo(0.9);
    assertThatThrownBy(() -> policy(group, FailoverMode.FAILOVER_MODE_MANUAL, false, 1.5))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getDescription()).startsWith("policy.min_healthy_share"));
  }

  private void policy(String group, FailoverMode mode, boolean stateful, double share) {
    fleet(admin())
        .setGroupPolicy(
            SetGroupPolicyRequest.newBuilder()
                .setPolicy(
                    GroupPolicy.newBuilder()
                        .setGroup(group)
                        .setFailoverMode(mode)
                        .setStateful(stateful)
                        .setMinHealthyShare(share))
                .build());
  }

  private java.util.List<io.botfleet.common.v1.Event> events(String type, String botId) {
    return fleet(viewer())
        .listEvents(ListEventsRequest.newBuilder().addTypes(type).setBotId(botId).build())
        .getEventsList();
  }

  @SuppressWarnings("unused")
  private static Map<String, String> none() {
    return Map.of();
  }
}
