package io.botfleet.permission.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.devkit.GreenHelixStandIn;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.permission.PermissionTestSupport;
import io.botfleet.permission.v1.AssignPermissionsRequest;
import io.botfleet.permission.v1.DecisionRule;
import io.botfleet.permission.v1.GetPermissionsRequest;
import io.botfleet.permission.v1.PermissionAssignment;
import io.botfleet.permission.v1.RemovePermissionsRequest;
import io.botfleet.permission.v1.Restrictions;
import io.botfleet.permission.v1.Tier;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class AssignPermissionsTest extends PermissionTestSupport {

  @Inject KeyCache keyCache;

  @Test
  void anAssignmentIsTheGuidesRecordWithTheExchangeKeySettings() {
    TestPrincipal fleet = fleet(keyCache);
    String bot = unique("bot");

    PermissionAssignment assignment =
        permissions(fleet)
            .assignPermissions(assignment(bot, "binance", Tier.TIER_TRADE, SPOT_ARB).build())
            .getAssignment();

    assertThat(assignment.getAgentId()).isEqualTo(bot);
    assertThat(assignment.getTier()).isEqualTo(Tier.TIER_TRADE);
    assertThat(assignment.getBaseTier()).isEqualTo(Tier.TIER_TRADE);
    assertThat(assignment.getRole()).isEqualTo("trading_bot");
    assertThat(assignment.getAbstractPermissionsList())
        .hasSize(9)
        .contains("place_order", "cancel_order", "modify_order", "read_positions");
    var config = assignment.getExchangeConfig().getFieldsMap();
    assertThat(config.get("enableSpotAndMarginTrading").getBoolValue()).isTrue();
    assertThat(config.get("enableWithdrawals").getBoolValue()).isFalse();
    assertThat(assignment.getRestrictions().getMaxOrderSizeUsd()).isEqualTo("5000");
    assertThat(assignment.getRestrictions().getAllowedPairsList())
        .containsExactly("BTC/USDT", "ETH/USDT", "SOL/USDT");
    assertThat(assignment.getAssignedBy()).isEqualTo(fleet.agentId());
    assertThat(assignment.getAssignTime().getSeconds()).isPositive();
    assertThat(assignment.hasSuspension()).isFalse();
  }

  @Test
  void anAssignmentIsAnEventWithWhoDidItAndIsPublishedToGreenHelix() {
    GreenHelixStandIn greenHelix = GreenHelixTestResource.standIn();
    String bot = unique("bot");
    TestPrincipal admin = admin(keyCache);

    permissions(admin)
        .assignPermissions(assignment(bot, "deribit", Tier.TIER_TRADE, OPTIONS_MM).build());

    var event = events(keyCache, bot).get(0);
    assertThat(event.getType()).isEqualTo("fleet.permission_assigned");
    assertThat(event.getActor()).isEqualTo(admin.agentId());
    var payload = event.getPayload().getFieldsMap();
    assertThat(payload.keySet())
        .contains(
            "agent_id",
            "bot_name",
            "exchange",
            "tier",
            "abstract_permissions",
            "exchange_config",
            "custom_restrictions",
            "assigned_at");
    assertThat(payload.get("exchange_config").getStructValue().getFieldsMap().get("scope"))
        .extracting(v -> v.getStringValue())
        .isEqualTo("trade:read");
    assertThat(
            payload
                .get("custom_restrictions")
                .getStructValue()
                .getFieldsMap()
                .get("max_delta_exposure")
                .getNumberValue())
        .isEqualTo(0.5);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                greenHelix.accepted("submit_metrics").stream()
                    .anyMatch(c -> c.input().path("agent_id").asText().equals(bot)));
    var metrics =
        greenHelix.accepted("submit_metrics").stream()
            .filter(c -> c.input().path("agent_id").asText().equals(bot))
            .findFirst()
            .orElseThrow()
            .input()
            .get("metrics");
    assertThat(metrics.get("permission_tier").asText()).isEqualTo("trade");
    assertThat(metrics.get("permission_count").asInt()).isEqualTo(9);
    assertThat(metrics.get("exchange").asText()).isEqualTo("deribit");
    assertThat(metrics.get("has_withdraw").asBoolean()).isFalse();
    assertThat(metrics.get("has_admin").asBoolean()).isFalse();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                greenHelix.accepted("publish_event").stream()
                    .anyMatch(
                        c ->
                            c.input().path("agent_id").asText().equals(bot)
                                && c.input()
                                    .path("event_type")
                                    .asText()
                                    .equals("fleet.permission_assigned")));
    assertThat(greenHelix.violations()).isEmpty();
  }

  @Test
  void bybitTiersUseBybitsOwnKeyPermissions() {
    PermissionAssignment assignment =
        permissions(fleet(keyCache))
            .assignPermissions(
                assignment(
                        unique("bot"), "bybit", Tier.TIER_TRADE, Restrictions.getDefaultInstance())
                    .build())
            .getAssignment();

    var config = assignment.getExchangeConfig().getFieldsMap();
    assertThat(config.get("readOnly").getNumberValue()).isZero();
    var granted = config.get("permissions").getStructValue().getFieldsMap();
    assertThat(granted.get("ContractTrade").getListValue().getValuesList())
        .extracting(v -> v.getStringValue())
        .containsExactly("Order", "Position");
    assertThat(granted.get("Wallet").getListValue().getValuesList()).isEmpty();
  }

  @Test
  void anExchangeWithoutAMappingForTheTierIsInvalidNamingTheExchange() {
    AssignPermissionsRequest request =
        assignment(unique("bot"), "kraken", Tier.TIER_TRADE, Restrictions.getDefaultInstance())
            .build();

    assertInvalid(() -> permissions(fleet(keyCache)).assignPermissions(request), "exchange");
  }

  @Test
  void aTradingBotIsNeverAssignedWithdrawOrAdmin() {
    for (Tier tier : List.of(Tier.TIER_WITHDRAW, Tier.TIER_ADMIN)) {
      String bot = unique("bot");
      AssignPermissionsRequest request =
          assignment(bot, "binance", tier, Restrictions.getDefaultInstance()).build();

      assertFails(
          () -> permissions(admin(keyCache)).assignPermissions(request),
          Status.Code.PERMISSION_DENIED,
          "TRADING_BOT_PRIVILEGED_TIER");
      assertFails(
          () ->
              permissions(admin(keyCache))
                  .getPermissions(GetPermissionsRequest.newBuilder().setAgentId(bot).build()),
          Status.Code.NOT_FOUND,
          "PERMISSIONS_NOT_FOUND");
    }
  }

  @Test
  void aWithdrawalAgentGetsWithdrawOnlyThroughEscalation() {
    AssignPermissionsRequest request =
        assignment(
                unique("agent"), "binance", Tier.TIER_WITHDRAW, Restrictions.getDefaultInstance())
            .setRole("withdrawal_agent")
            .build();

    assertFails(
        () -> permissions(admin(keyCache)).assignPermissions(request),
        Status.Code.PERMISSION_DENIED,
        "PRIVILEGED_TIER_ONLY_BY_ESCALATION");
  }

  @Test
  void badInputIsRefusedFieldByFieldAndChangesNothing() {
    TestPrincipal fleet = fleet(keyCache);
    String bot = unique("bot");
    assign(keyCache, bot, Tier.TIER_TRADE, SPOT_ARB);

    assertInvalid(
        () ->
            permissions(fleet)
                .assignPermissions(
                    assignment(
                            bot,
                            "binance",
                            Tier.TIER_TRADE,
                            Restrictions.newBuilder()
                                .setMaxOrderSizeUsd("-5")
                                .setMaxPositionUsd("NaN")
                                .addAllowedInstruments("*-*-*")
                                .build())
                        .build()),
        "restrictions.max_order_size_usd",
        "restrictions.max_position_usd",
        "restrictions.allowed_instruments[0]");
    assertInvalid(
        () ->
            permissions(fleet)
                .assignPermissions(
                    assignment(bot, "binance", Tier.TIER_UNSPECIFIED, SPOT_ARB).build()),
        "tier");
    assertInvalid(
        () ->
            permissions(fleet)
                .assignPermissions(
                    assignment(bot, "binance", Tier.TIER_READ_ONLY, SPOT_ARB).build()),
        "restrictions.max_order_size_usd",
        "restrictions.allowed_pairs");
    assertInvalid(
        () ->
            permissions(fleet)
                .assignPermissions(
                    assignment(bot, "binance", Tier.TIER_TRADE, SPOT_ARB).setTierValue(42).build()),
        "tier");

    PermissionAssignment unchanged =
        permissions(fleet)
            .getPermissions(GetPermissionsRequest.newBuilder().setAgentId(bot).build())
            .getAssignment();
    assertThat(unchanged.getTier()).isEqualTo(Tier.TIER_TRADE);
    assertThat(unchanged.getRestrictions()).isEqualTo(SPOT_ARB);
    assertThat(eventTypes(keyCache, bot)).containsExactly("fleet.permission_assigned");
  }

  @Test
  void aRetryWithTheSameRequestIdAssignsOnce() {
    String bot = unique("bot");
    AssignPermissionsRequest request =
        assignment(bot, "binance", Tier.TIER_TRADE, SPOT_ARB).setRequestId(unique("req")).build();

    permissions(fleet(keyCache)).assignPermissions(request);
    PermissionAssignment retried =
        permissions(fleet(keyCache)).assignPermissions(request).getAssignment();

    assertThat(retried.getTier()).isEqualTo(Tier.TIER_TRADE);
    assertThat(eventTypes(keyCache, bot)).containsExactly("fleet.permission_assigned");
    assertFails(
        () ->
            permissions(fleet(keyCache))
                .assignPermissions(request.toBuilder().setAgentId(unique("other")).build()),
        Status.Code.ALREADY_EXISTS,
        "REQUEST_ID_REUSED");
  }

  @Test
  void onlyAdminsAndFleetAssignAndABotReadsOnlyItself() {
    TestPrincipal bot = newBot(keyCache);
    TestPrincipal other = newBot(keyCache);
    assign(keyCache, bot.agentId(), Tier.TIER_TRADE, SPOT_ARB);
    assign(keyCache, other.agentId(), Tier.TIER_TRADE, SPOT_ARB);
    AssignPermissionsRequest raise =
        assignment(bot.agentId(), "binance", Tier.TIER_TRADE, Restrictions.getDefaultInstance())
            .build();

    for (TestPrincipal notAllowed :
        List.of(bot, operator(keyCache), viewer(keyCache), TestPrincipal.service("deploy"))) {
      notAllowed.trustedBy(keyCache);
      assertCode(
          () -> permissions(notAllowed).assignPermissions(raise), Status.Code.PERMISSION_DENIED);
    }
    assertThat(
            permissions(bot)
                .getPermissions(
                    GetPermissionsRequest.newBuilder().setAgentId(bot.agentId()).build())
                .getAssignment()
                .getRestrictions())
        .isEqualTo(SPOT_ARB);
    assertFails(
        () ->
            permissions(bot)
                .getPermissions(
                    GetPermissionsRequest.newBuilder().setAgentId(other.agentId()).build()),
        Status.Code.PERMISSION_DENIED,
        "NOT_SELF");
  }

  @Test
  void removedPermissionsLeaveAnUnknownBot() {
    TestPrincipal fleet = fleet(keyCache);
    String bot = unique("bot");
    assign(keyCache, bot, Tier.TIER_TRADE, SPOT_ARB);

    boolean removed =
        permissions(fleet)
            .removePermissions(
                RemovePermissionsRequest.newBuilder()
                    .setAgentId(bot)
                    .setReason("deregistered_from_fleet")
                    .build())
            .getRemoved();
    boolean again =
        permissions(fleet)
            .removePermissions(RemovePermissionsRequest.newBuilder().setAgentId(bot).build())
            .getRemoved();

    assertThat(removed).isTrue();
    assertThat(again).isFalse();
    assertThat(check(fleet, bot, "read_positions", spotOrder("", "")).getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_UNKNOWN_BOT);
    assertThat(eventTypes(keyCache, bot))
        .containsExactly("fleet.permission_assigned", "fleet.permission_removed");
  }
}
