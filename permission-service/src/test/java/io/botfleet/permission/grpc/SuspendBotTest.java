package io.botfleet.permission.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.devkit.GreenHelixStandIn;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.permission.PermissionTestSupport;
import io.botfleet.permission.service.PermissionView;
import io.botfleet.permission.v1.CheckContext;
import io.botfleet.permission.v1.DecisionRule;
import io.botfleet.permission.v1.GetPermissionsRequest;
import io.botfleet.permission.v1.SuspendBotRequest;
import io.botfleet.permission.v1.SuspendBotResponse;
import io.botfleet.permission.v1.SuspensionMode;
import io.botfleet.permission.v1.Tier;
import io.botfleet.permission.v1.UnsuspendBotRequest;
import io.grpc.Status;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class SuspendBotTest extends PermissionTestSupport {

  @Inject KeyCache keyCache;
  @Inject PermissionView view;
  @Inject EntityManager entityManager;

  private SuspendBotResponse suspend(TestPrincipal caller, SuspensionMode mode, String... ids) {
    return permissions(caller)
        .suspendBot(
            SuspendBotRequest.newBuilder()
                .addAllAgentIds(List.of(ids))
                .setMode(mode)
                .setReason("drawdown limit")
                .setCommandId("cmd-1")
                .build());
  }

  private int unsuspend(TestPrincipal caller, SuspensionMode mode, String... ids) {
    return permissions(caller)
        .unsuspendBot(
            UnsuspendBotRequest.newBuilder()
                .addAllAgentIds(List.of(ids))
                .setMode(mode)
                .setReason("resume_all")
                .build())
        .getUnsuspendedCount();
  }

  private static CheckContext order(String sizeUsd, boolean reduceOnly, String positionAfter) {
    return spotOrder("BTC/USDT", sizeUsd).toBuilder()
        .setReduceOnly(reduceOnly)
        .setPositionAfterUsd(positionAfter)
        .build();
  }

  @Test
  void aPausedBotThatIgnoresThePauseStillCannotOpenPositions() {
    TestPrincipal bot = newBot(keyCache);
    assign(keyCache, bot.agentId(), Tier.TIER_TRADE, SPOT_ARB);

    SuspendBotResponse answer =
        suspend(fleet(keyCache), SuspensionMode.SUSPENSION_MODE_PAUSED, bot.agentId());

    assertThat(answer.getSuspendedCount()).isEqualTo(1);
    String self = bot.agentId();
    assertThat(check(bot, self, "place_order", order("100", false, "")).getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_SUSPENDED_PAUSED);
    assertThat(check(bot, self, "modify_order", order("100", false, "")).getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_SUSPENDED_PAUSED);
    assertThat(check(bot, self, "place_order", order("100", true, "500")).getAllowed()).isTrue();
    assertThat(check(bot, self, "cancel_order", CheckContext.getDefaultInstance()).getAllowed())
        .isTrue();
    assertThat(check(bot, self, "read_positions", CheckContext.getDefaultInstance()).getAllowed())
        .isTrue();
  }

  @Test
  void anEmergencyStoppedBotMayOnlyCloseAndAResumeDoesNotUndoTheStop() {
    TestPrincipal bot = newBot(keyCache);
    String self = bot.agentId();
    assign(keyCache, self, Tier.TIER_TRADE, SPOT_ARB);
    TestPrincipal fleet = fleet(keyCache);

    suspend(fleet, SuspensionMode.SUSPENSION_MODE_STOPPED, self);
    SuspendBotResponse pausedAfterStop =
        suspend(fleet, SuspensionMode.SUSPENSION_MODE_PAUSED, self);

    assertThat(pausedAfterStop.getSuspendedCount()).isZero();
    assertThat(check(bot, self, "place_order", order("100", true, "500")).getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_SUSPENDED_STOPPED);
    assertThat(check(bot, self, "place_order", order("100", true, "0")).getAllowed()).isTrue();
    assertThat(unsuspend(fleet, SuspensionMode.SUSPENSION_MODE_PAUSED, self)).isZero();
    assertThat(check(bot, self, "place_order", order("100", false, "")).getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_SUSPENDED_STOPPED);
    assertThat(unsuspend(fleet, SuspensionMode.SUSPENSION_MODE_UNSPECIFIED, self)).isEqualTo(1);
    assertThat(check(bot, self, "place_order", order("100", false, "")).getAllowed()).isTrue();
  }

  @Test
  void aPauseBecomesAStopAndTheStopIsWhatAFullUnsuspendLifts() {
    String bot = unique("bot");
    assign(keyCache, bot, Tier.TIER_TRADE, SPOT_ARB);
    TestPrincipal fleet = fleet(keyCache);

    suspend(fleet, SuspensionMode.SUSPENSION_MODE_PAUSED, bot);
    assertThat(suspend(fleet, SuspensionMode.SUSPENSION_MODE_STOPPED, bot).getSuspendedCount())
        .isEqualTo(1);

    assertThat(check(fleet, bot, "place_order", order("1", true, "5")).getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_SUSPENDED_STOPPED);
    assertThat(unsuspend(fleet, SuspensionMode.SUSPENSION_MODE_STOPPED, bot)).isEqualTo(1);
    assertThat(
            eventTypes(keyCache, bot).stream().filter(t -> !t.equals("fleet.permission_assigned")))
        .containsExactly(
            "fleet.permission_suspended",
            "fleet.permission_suspended",
            "fleet.permission_unsuspended");
  }

  @Test
  void aSuspensionIsPersistedAndSurvivesARestart() {
    String bot = unique("bot");
    assign(keyCache, bot, Tier.TIER_TRADE, SPOT_ARB);
    TestPrincipal operator = operator(keyCache);
    suspend(operator, SuspensionMode.SUSPENSION_MODE_STOPPED, bot);

    view.reload();

    assertThat(check(fleet(keyCache), bot, "place_order", order("1", false, "")).getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_SUSPENDED_STOPPED);
    var suspension =
        permissions(operator)
            .getPermissions(GetPermissionsRequest.newBuilder().setAgentId(bot).build())
            .getAssignment()
            .getSuspension();
    assertThat(suspension.getMode()).isEqualTo(SuspensionMode.SUSPENSION_MODE_STOPPED);
    assertThat(suspension.getReason()).isEqualTo("drawdown limit");
    assertThat(suspension.getSuspendedBy()).isEqualTo(operator.agentId());
    var event = events(keyCache, bot).get(1);
    assertThat(event.getActor()).isEqualTo(operator.agentId());
    assertThat(event.getPayload().getFieldsMap().get("command_id").getStringValue())
        .isEqualTo("cmd-1");
  }

  @Test
  void aFleetWidePauseSuspendsTenThousandBotsInOneCall() {
    GreenHelixStandIn greenHelix = GreenHelixTestResource.standIn();
    String prefix = unique("fleet");
    List<String> ids =
        IntStream.range(0, 10_000)
            .mapToObj(i -> prefix + "-" + i)
            .collect(ArrayList::new, List::add, List::addAll);
    // 9,990 bots written as registration would leave them, plus 10 ids this service never saw.
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                entityManager
                    .createNativeQuery(
                        "insert into assignments (agent_id, bot_name, role, exchange, base_tier,"
                            + " tier, assigned_by, assigned_at)"
                            + " select :prefix || '-' || i, 'bot-' || i, 'trading_bot', 'binance',"
                            + " 'trade', 'trade', 'svc-fleet', now()"
                            + " from generate_series(0, 9989) i")
                    .setParameter("prefix", prefix)
                    .executeUpdate());
    view.reload();
    TestPrincipal fleet = fleet(keyCache);

    SuspendBotResponse answer =
        suspend(fleet, SuspensionMode.SUSPENSION_MODE_PAUSED, ids.toArray(String[]::new));

    assertThat(answer.getSuspendedCount()).isEqualTo(9_990);
    assertThat(answer.getUnknownAgentIdsList()).hasSize(10).contains(prefix + "-9999");
    assertThat(check(fleet, prefix + "-1234", "place_order", order("1", false, "")).getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_SUSPENDED_PAUSED);
    assertThat(eventTypes(keyCache, prefix + "-42")).containsExactly("fleet.permission_suspended");
    assertThat(unsuspend(fleet, SuspensionMode.SUSPENSION_MODE_PAUSED, ids.toArray(String[]::new)))
        .isEqualTo(9_990);
    assertThat(check(fleet, prefix + "-1234", "place_order", order("1", false, "")).getAllowed())
        .isTrue();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                greenHelix.accepted("publish_event").stream()
                    .anyMatch(
                        c ->
                            c.input()
                                    .path("event_type")
                                    .asText()
                                    .equals("fleet.permission_suspended")
                                && c.input().path("payload").path("bots_affected").asInt()
                                    == 9_990));
    assertThat(greenHelix.violations()).isEmpty();
  }

  @Test
  void badSuspensionsAreRefusedAndOnlyOperatorsAndFleetSuspend() {
    String bot = unique("bot");
    assign(keyCache, bot, Tier.TIER_TRADE, SPOT_ARB);
    TestPrincipal fleet = fleet(keyCache);

    assertInvalid(() -> suspend(fleet, SuspensionMode.SUSPENSION_MODE_UNSPECIFIED, bot), "mode");
    assertInvalid(() -> suspend(fleet, SuspensionMode.SUSPENSION_MODE_PAUSED), "agent_ids");
    assertInvalid(
        () ->
            permissions(fleet)
                .suspendBot(
                    SuspendBotRequest.newBuilder()
                        .addAgentIds(bot)
                        .setMode(SuspensionMode.SUSPENSION_MODE_PAUSED)
                        .build()),
        "reason");
    assertCode(
        () -> suspend(viewer(keyCache), SuspensionMode.SUSPENSION_MODE_PAUSED, bot),
        Status.Code.PERMISSION_DENIED);
    TestPrincipal self = TestPrincipal.bot(bot).trustedBy(keyCache);
    assertCode(
        () -> unsuspend(self, SuspensionMode.SUSPENSION_MODE_UNSPECIFIED, bot),
        Status.Code.PERMISSION_DENIED);
    assertThat(check(fleet, bot, "place_order", order("1", false, "")).getAllowed()).isTrue();
  }
}
