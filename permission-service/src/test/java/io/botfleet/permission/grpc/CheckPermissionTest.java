package io.botfleet.permission.grpc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.permission.PermissionTestSupport;
import io.botfleet.permission.v1.CheckContext;
import io.botfleet.permission.v1.CheckPermissionRequest;
import io.botfleet.permission.v1.CheckPermissionResponse;
import io.botfleet.permission.v1.CheckPermissionsRequest;
import io.botfleet.permission.v1.DecisionRule;
import io.botfleet.permission.v1.Restrictions;
import io.botfleet.permission.v1.Tier;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Collections;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class CheckPermissionTest extends PermissionTestSupport {

  @Inject KeyCache keyCache;

  private static CheckPermissionRequest request(String agentId, String action, CheckContext c) {
    return CheckPermissionRequest.newBuilder()
        .setAgentId(agentId)
        .setAction(action)
        .setContext(c)
        .build();
  }

  @Test
  void aBotChecksItsOwnOrdersAgainstItsRestrictionsWithTheDecidingRule() {
    TestPrincipal bot = newBot(keyCache);
    assign(keyCache, bot.agentId(), Tier.TIER_TRADE, SPOT_ARB);

    CheckPermissionResponse small =
        check(bot, bot.agentId(), "place_order", spotOrder("BTC/USDT", "1000"));
    CheckPermissionResponse large =
        check(bot, bot.agentId(), "place_order", spotOrder("BTC/USDT", "6000"));
    CheckPermissionResponse doge =
        check(bot, bot.agentId(), "place_order", spotOrder("DOGE/USDT", "10"));

    assertThat(small.getAllowed()).isTrue();
    assertThat(small.getRule()).isEqualTo(DecisionRule.DECISION_RULE_ALLOWED);
    assertThat(large.getAllowed()).isFalse();
    assertThat(large.getRule()).isEqualTo(DecisionRule.DECISION_RULE_MAX_ORDER_SIZE);
    assertThat(large.getReason()).isEqualTo("order 6000 USD exceeds max_order_size_usd 5000");
    assertThat(doge.getRule()).isEqualTo(DecisionRule.DECISION_RULE_ALLOWED_PAIRS);
  }

  @Test
  void unknownBotsActionsAndMissingContextAreDenied() {
    TestPrincipal fleet = fleet(keyCache);
    String bot = unique("bot");
    assign(keyCache, bot, Tier.TIER_TRADE, SPOT_ARB);

    assertThat(
            check(fleet, unique("ghost"), "read_positions", CheckContext.getDefaultInstance())
                .getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_UNKNOWN_BOT);
    assertThat(
            check(fleet, bot, "transfer_everything", CheckContext.getDefaultInstance()).getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_UNKNOWN_ACTION);
    assertThat(check(fleet, bot, "place_order", spotOrder("BTC/USDT", "")).getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_MISSING_CONTEXT);
    assertThat(check(fleet, bot, "withdraw_funds", CheckContext.getDefaultInstance()).getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_TIER);
  }

  @Test
  void aBatchIsAnsweredInOrder() {
    TestPrincipal bot = newBot(keyCache);
    assign(keyCache, bot.agentId(), Tier.TIER_TRADE, SPOT_ARB);

    var results =
        permissions(bot)
            .checkPermissions(
                CheckPermissionsRequest.newBuilder()
                    .addChecks(
                        request(bot.agentId(), "read_balances", CheckContext.getDefaultInstance()))
                    .addChecks(request(bot.agentId(), "place_order", spotOrder("BTC/USDT", "9000")))
                    .addChecks(
                        request(bot.agentId(), "cancel_order", CheckContext.getDefaultInstance()))
                    .addChecks(
                        request(
                            bot.agentId(), "modify_api_keys", CheckContext.getDefaultInstance()))
                    .build())
            .getResultsList();

    assertThat(results)
        .extracting(CheckPermissionResponse::getRule)
        .containsExactly(
            DecisionRule.DECISION_RULE_ALLOWED,
            DecisionRule.DECISION_RULE_MAX_ORDER_SIZE,
            DecisionRule.DECISION_RULE_ALLOWED,
            DecisionRule.DECISION_RULE_TIER);
  }

  @Test
  void aBotMayCheckOnlyItselfWhileServicesAndOperatorsCheckAnyBot() {
    TestPrincipal bot = newBot(keyCache);
    TestPrincipal other = newBot(keyCache);
    assign(keyCache, other.agentId(), Tier.TIER_TRADE, SPOT_ARB);

    assertFails(
        () -> check(bot, other.agentId(), "read_positions", CheckContext.getDefaultInstance()),
        Status.Code.PERMISSION_DENIED,
        "NOT_SELF");
    assertFails(
        () ->
            permissions(bot)
                .checkPermissions(
                    CheckPermissionsRequest.newBuilder()
                        .addChecks(
                            request(
                                bot.agentId(), "read_positions", CheckContext.getDefaultInstance()))
                        .addChecks(
                            request(
                                other.agentId(),
                                "read_positions",
                                CheckContext.getDefaultInstance()))
                        .build()),
        Status.Code.PERMISSION_DENIED,
        "NOT_SELF");
    for (TestPrincipal caller :
        new TestPrincipal[] {
          fleet(keyCache), TestPrincipal.service("deploy").trustedBy(keyCache), viewer(keyCache)
        }) {
      assertThat(
              check(caller, other.agentId(), "read_positions", CheckContext.getDefaultInstance())
                  .getAllowed())
          .isTrue();
    }
    assertCode(
        () ->
            check(
                TestPrincipal.service("billing").trustedBy(keyCache),
                other.agentId(),
                "read_positions",
                CheckContext.getDefaultInstance()),
        Status.Code.PERMISSION_DENIED);
  }

  @Test
  void malformedChecksAreInvalidNamingTheField() {
    TestPrincipal fleet = fleet(keyCache);
    String bot = unique("bot");
    CheckContext negative = spotOrder("BTC/USDT", "-1");
    CheckContext notANumber =
        CheckContext.newBuilder().setExchange("binance").setDeltaAfter("NaN").build();

    assertInvalid(() -> check(fleet, bot, "place_order", negative), "context.order_size_usd");
    assertInvalid(() -> check(fleet, bot, "", CheckContext.getDefaultInstance()), "action");
    assertInvalid(
        () ->
            permissions(fleet)
                .checkPermissions(
                    CheckPermissionsRequest.newBuilder()
                        .addChecks(request(bot, "place_order", spotOrder("BTC/USDT", "1")))
                        .addChecks(request(bot, "place_order", notANumber))
                        .build()),
        "checks[1].context.delta_after");
    assertInvalid(
        () -> permissions(fleet).checkPermissions(CheckPermissionsRequest.getDefaultInstance()),
        "checks");
    assertInvalid(
        () ->
            permissions(fleet)
                .checkPermissions(
                    CheckPermissionsRequest.newBuilder()
                        .addAllChecks(
                            Collections.nCopies(
                                1001,
                                request(bot, "read_positions", CheckContext.getDefaultInstance())))
                        .build()),
        "checks");
  }

  @Test
  void aNewAssignmentDecidesTheVeryNextCheck() {
    TestPrincipal fleet = fleet(keyCache);
    String bot = unique("bot");
    assign(keyCache, bot, Tier.TIER_TRADE, SPOT_ARB);
    assertThat(check(fleet, bot, "place_order", spotOrder("BTC/USDT", "4000")).getAllowed())
        .isTrue();

    assign(keyCache, bot, Tier.TIER_TRADE, SPOT_ARB.toBuilder().setMaxOrderSizeUsd("3000").build());

    assertThat(check(fleet, bot, "place_order", spotOrder("BTC/USDT", "4000")).getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_MAX_ORDER_SIZE);
    assign(keyCache, bot, Tier.TIER_READ_ONLY, Restrictions.getDefaultInstance());
    assertThat(check(fleet, bot, "place_order", spotOrder("BTC/USDT", "1")).getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_TIER);
  }

  @Test
  void theDecisionTimeAndOutcomesAreMetrics() {
    TestPrincipal fleet = fleet(keyCache);
    check(fleet, unique("ghost"), "read_positions", CheckContext.getDefaultInstance());

    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();

    assertThat(metrics)
        .contains("botfleet_permission_decision_seconds{quantile=\"0.99\"")
        .contains("botfleet_permission_checks_total{rule=\"unknown_bot\"");
  }
}
