package io.botfleet.e2e.story;

import static io.botfleet.e2e.story.Story.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.botfleet.billing.v1.BillingServiceGrpc;
import io.botfleet.billing.v1.GetBotCostSummaryRequest;
import io.botfleet.common.v1.Scope;
import io.botfleet.deploy.v1.DeployServiceGrpc;
import io.botfleet.deploy.v1.ListDeploymentsRequest;
import io.botfleet.fleet.v1.BotStatus;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.GetBotRequest;
import io.botfleet.fleet.v1.GetFleetStatusRequest;
import io.botfleet.fleet.v1.PauseBotsRequest;
import io.botfleet.fleet.v1.ResumeBotsRequest;
import io.botfleet.fleet.v1.RevokeBotRequest;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.health.v1.GetBotHealthRequest;
import io.botfleet.health.v1.GetFleetHealthDashboardRequest;
import io.botfleet.health.v1.GroupHealth;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.permission.v1.CheckContext;
import io.botfleet.permission.v1.CheckPermissionRequest;
import io.botfleet.permission.v1.CheckPermissionResponse;
import io.botfleet.permission.v1.DecisionRule;
import io.botfleet.permission.v1.PermissionServiceGrpc;
import io.botfleet.permission.v1.Tier;
import io.botfleet.sdk.ClientStatus;
import io.botfleet.sdk.command.EmergencyStopCommand;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.KeyFile;
import io.botfleet.sim.GuideFleet;
import io.botfleet.sim.OperatorKey;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The guide's story over the six services as processes and the guide's fleet as SDK bots: the 12
 * bots register with their tiers and restrictions and come up, the dashboard counts them right, a
 * group pause touches only that group and denies its orders, and the kill switch for one
 * compromised bot stops and revokes only that bot, whose key then fails in every service.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuideFleetIT {

  static final Duration SOON = Duration.ofSeconds(20);
  static final Map<String, Integer> GROUP_SIZES =
      Map.of("spot-arb", 3, "perp-momentum", 5, "options-mm", 4);

  final Story story = Story.get();

  @Test
  @Order(1)
  void theGuidesTwelveBotsRegisterWithTheirTiersAndRestrictionsAndComeUp() throws Exception {
    Map<String, E2eBot> bots = story.guideFleet();

    for (String name : bots.keySet()) {
      BotStatus expected =
          name.equals(GuideFleet.STANDBY)
              ? BotStatus.BOT_STATUS_STANDBY
              : BotStatus.BOT_STATUS_ACTIVE;
      await(name + " is " + expected, SOON, () -> story.bot(name).getStatus() == expected);
      assertThat(story.bot(name).getTier()).as(name).isEqualTo(Tier.TIER_TRADE);
    }
    var status = story.fleetStub().getFleetStatus(GetFleetStatusRequest.getDefaultInstance());
    GROUP_SIZES.forEach(
        (group, size) ->
            assertThat(status.getGroupCountsMap().get(group).getActive())
                .as(group)
                .isEqualTo(size));
    assertThat(status.getGroupCountsMap().get("spot-arb").getStandby()).isEqualTo(1);

    // The guide's restrictions, enforced by permission-service for the bots' own checks.
    String arb = bots.get("spot-arb-01").agentId();
    assertThat(check(arb, "binance", "BTC/USDT", "", "1000").getAllowed()).isTrue();
    assertThat(check(arb, "binance", "BTC/USDT", "", "6000").getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_MAX_ORDER_SIZE);
    assertThat(check(arb, "binance", "DOGE/USDT", "", "100").getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_ALLOWED_PAIRS);
    String options = bots.get("options-mm-01").agentId();
    assertThat(check(options, "deribit", "", "BTC-27DEC26-100000-C", "1000").getAllowed()).isTrue();
    assertThat(check(options, "deribit", "", "SOL-27DEC26-100-C", "1000").getRule())
        .isEqualTo(DecisionRule.DECISION_RULE_ALLOWED_INSTRUMENTS);
  }

  @Test
  @Order(2)
  void theDashboardCountsEveryGroupRight() throws Exception {
    story.guideFleet();
    Map<String, GroupHealth> groups =
        Story.awaitValue(
            "every guide bot healthy on the dashboard",
            SOON,
            () ->
                story
                    .healthStub()
                    .getFleetHealthDashboard(GetFleetHealthDashboardRequest.getDefaultInstance())
                    .getGroupsMap(),
            g ->
                GROUP_SIZES.entrySet().stream()
                    .allMatch(
                        e ->
                            g.containsKey(e.getKey())
                                && g.get(e.getKey()).getStatusSummary().getHealthy()
                                    == e.getValue()));

    assertThat(groups.get("spot-arb").getTotalBots()).isEqualTo(4);
    assertThat(groups.get("spot-arb").getStatusSummary().getUnknown())
        .as("the dormant standby has no heartbeat yet")
        .isEqualTo(1);
    assertThat(groups.get("perp-momentum").getTotalBots()).isEqualTo(5);
    assertThat(groups.get("options-mm").getTotalBots()).isEqualTo(4);
    for (String group : GROUP_SIZES.keySet()) {
      var summary = groups.get(group).getStatusSummary();
      assertThat(summary.getWarning() + summary.getCritical() + summary.getDead())
          .as(group)
          .isZero();
      // Every bot reports 3 trades and 12.50 USD (E2eBot's metrics).
      assertThat(groups.get(group).getTradeCount())
          .as(group)
          .isEqualTo(3L * GROUP_SIZES.get(group));
      assertThat(groups.get(group).getPnlUsd())
          .as(group)
          .isEqualTo(String.format("%.2f", 12.5 * GROUP_SIZES.get(group)));
    }
  }

  @Test
  @Order(3)
  void pausingAGroupPausesOnlyThatGroupAndDeniesItsOrders() throws Exception {
    Map<String, E2eBot> bots = story.guideFleet();
    var paused =
        story
            .fleetStub()
            .pauseBots(
                PauseBotsRequest.newBuilder()
                    .setScope(Scope.newBuilder().setGroup("perp-momentum"))
                    .setReason("e2e: funding spike")
                    .setRequestId(UUID.randomUUID().toString())
                    .build());
    try {
      assertThat(paused.getBotIdsCount()).isEqualTo(5);
      for (E2eBot bot : bots.values()) {
        boolean inGroup = bot.name.startsWith("perp-momentum");
        if (inGroup) {
          await(
              bot.name + " paused",
              SOON,
              () -> bot.paused() && status(bot) == BotStatus.BOT_STATUS_PAUSED);
          CheckPermissionResponse order =
              check(bot.agentId(), story.bot(bot.name).getExchange(), "BTC/USDT", "", "100");
          assertThat(order.getAllowed()).as(bot.name).isFalse();
          assertThat(order.getRule()).isEqualTo(DecisionRule.DECISION_RULE_SUSPENDED_PAUSED);
        }
      }
      for (E2eBot bot : bots.values()) {
        if (!bot.name.startsWith("perp-momentum") && !bot.name.equals(GuideFleet.STANDBY)) {
          assertThat(bot.received("pause")).as(bot.name).isFalse();
          assertThat(status(bot)).as(bot.name).isEqualTo(BotStatus.BOT_STATUS_ACTIVE);
        }
      }
      String arbExchange = story.bot("spot-arb-01").getExchange();
      assertThat(
              check(bots.get("spot-arb-01").agentId(), arbExchange, "BTC/USDT", "", "100")
                  .getAllowed())
          .isTrue();
    } finally {
      story
          .fleetStub()
          .resumeBots(
              ResumeBotsRequest.newBuilder()
                  .setScope(Scope.newBuilder().setGroup("perp-momentum"))
                  .setReason("e2e: over")
                  .setRequestId(UUID.randomUUID().toString())
                  .build());
    }
    for (E2eBot bot : bots.values()) {
      if (bot.name.startsWith("perp-momentum")) {
        await(
            bot.name + " resumed",
            SOON,
            () -> !bot.paused() && status(bot) == BotStatus.BOT_STATUS_ACTIVE);
      }
    }
  }

  @Test
  @Order(4)
  void revokingOneCompromisedBotStopsAndRevokesOnlyItAndItsKeyFailsInEveryService()
      throws Exception {
    Map<String, E2eBot> bots = story.guideFleet();
    E2eBot compromised = bots.get("spot-arb-02");
    // What an attacker holds: the bot's key, read from its key file.
    Credentials stolen = KeyFile.read(compromised.keyFile);
    Map<String, Function<Channel, Object>> calls = callsAsTheBot(stolen.agentId());
    for (var call : calls.entrySet()) {
      if (!call.getKey().equals("deploy")) {
        assertThat(call.getValue().apply(signedAs(stolen, call.getKey())))
            .as("before revocation, " + call.getKey())
            .isNotNull();
      }
    }

    var revoked =
        story
            .fleetStub()
            .revokeBot(
                RevokeBotRequest.newBuilder()
                    .setBotId(compromised.agentId())
                    .setReason("e2e: key found in a public repository")
                    .setRequestId(UUID.randomUUID().toString())
                    .build());
    assertThat(revoked.getCommandId()).isNotEmpty();

    await(
        "spot-arb-02 is revoked",
        SOON,
        () -> story.bot("spot-arb-02").getStatus() == BotStatus.BOT_STATUS_REVOKED);
    await(
        "spot-arb-02 destroyed its keys",
        SOON,
        () -> compromised.client().status().state() == ClientStatus.State.KEYS_DESTROYED);
    var stop =
        compromised.commands().stream().filter(c -> c.type().equals("emergency_stop")).findFirst();
    assertThat(stop).isPresent();
    assertThat(stop.get().payload().get("actions").toString())
        .contains(EmergencyStopCommand.DESTROY_LOCAL_KEYS);
    assertThat(compromised.keyFile).doesNotExist();

    for (var call : calls.entrySet()) {
      StatusRuntimeException refused =
          catchThrowableOfType(
              StatusRuntimeException.class,
              () -> call.getValue().apply(signedAs(stolen, call.getKey())));
      assertThat(refused).as("after revocation, " + call.getKey() + " refuses the key").isNotNull();
      assertThat(refused.getStatus().getCode())
          .as(call.getKey())
          .isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    // Nobody else was touched.
    for (E2eBot bot : bots.values()) {
      if (bot != compromised && !bot.name.equals(GuideFleet.STANDBY)) {
        assertThat(bot.received("emergency_stop")).as(bot.name).isFalse();
        assertThat(bot.client().status().state())
            .as(bot.name)
            .isEqualTo(ClientStatus.State.RUNNING);
        assertThat(status(bot)).as(bot.name).isEqualTo(BotStatus.BOT_STATUS_ACTIVE);
      }
    }
  }

  private BotStatus status(E2eBot bot) {
    return story.bot(bot.name).getStatus();
  }

  private CheckPermissionResponse check(
      String agentId, String exchange, String pair, String instrument, String sizeUsd) {
    return story
        .permissionStub()
        .checkPermission(
            CheckPermissionRequest.newBuilder()
                .setAgentId(agentId)
                .setAction("place_order")
                .setContext(
                    CheckContext.newBuilder()
                        .setExchange(exchange)
                        .setPair(pair)
                        .setInstrument(instrument)
                        .setOrderSizeUsd(sizeUsd)
                        .setPositionAfterUsd(sizeUsd)
                        .setDeltaAfter("0.1"))
                .build());
  }

  private Channel signedAs(Credentials credentials, String service) {
    return OperatorKey.of(credentials).sign(story.channels.get(service));
  }

  /** One call a bot may make of itself in each service (deploy has none: refused either way). */
  private static Map<String, Function<Channel, Object>> callsAsTheBot(String self) {
    Map<String, Function<Channel, Object>> calls = new LinkedHashMap<>();
    calls.put(
        "identity",
        c ->
            IdentityServiceGrpc.newBlockingStub(c)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .getIdentity(GetIdentityRequest.newBuilder().setAgentId(self).build()));
    calls.put(
        "fleet",
        c ->
            FleetServiceGrpc.newBlockingStub(c)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .getBot(GetBotRequest.newBuilder().setBotId(self).build()));
    calls.put(
        "permission",
        c ->
            PermissionServiceGrpc.newBlockingStub(c)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .checkPermission(
                    CheckPermissionRequest.newBuilder()
                        .setAgentId(self)
                        .setAction("read_positions")
                        .build()));
    calls.put(
        "health",
        c ->
            FleetHealthServiceGrpc.newBlockingStub(c)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .getBotHealth(GetBotHealthRequest.newBuilder().setBotId(self).build()));
    calls.put(
        "billing",
        c ->
            BillingServiceGrpc.newBlockingStub(c)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .getBotCostSummary(GetBotCostSummaryRequest.newBuilder().setBotId(self).build()));
    calls.put(
        "deploy",
        c ->
            DeployServiceGrpc.newBlockingStub(c)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .listDeployments(ListDeploymentsRequest.getDefaultInstance()));
    return calls;
  }

  static List<String> groups() {
    return List.copyOf(GROUP_SIZES.keySet());
  }
}
