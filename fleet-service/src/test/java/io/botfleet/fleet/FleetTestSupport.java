package io.botfleet.fleet;

import static org.awaitility.Awaitility.await;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.v1.BotIds;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.Scope;
import io.botfleet.devkit.GrpcTestSupport;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.fleet.fakes.FakeServices;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.BotStatus;
import io.botfleet.fleet.v1.DeliveryState;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.GetBotRequest;
import io.botfleet.fleet.v1.GetCommandStatusRequest;
import io.botfleet.fleet.v1.GetCommandStatusResponse;
import io.botfleet.fleet.v1.InitFleetRequest;
import io.botfleet.fleet.v1.RegisterBotRequest;
import io.botfleet.permission.v1.Tier;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * What fleet-service's Quarkus tests share: signed stubs for operators, the fakes of identity,
 * permission and health, bots registered through the real RegisterBot and connected with their own
 * keys. Every test makes its own bots and groups (unique names), so tests do not see each other's.
 */
public abstract class FleetTestSupport extends GrpcTestSupport {

  /** The organization every test fleet belongs to. */
  protected static final String ORG = "acme";

  @Inject protected KeyCache keyCache;

  protected static FakeServices fakes() {
    return FakeServicesTestResource.fakes();
  }

  protected TestPrincipal admin() {
    return TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_ADMIN).trustedBy(keyCache);
  }

  protected TestPrincipal operator() {
    return TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_OPERATOR).trustedBy(keyCache);
  }

  protected TestPrincipal viewer() {
    return TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_VIEWER).trustedBy(keyCache);
  }

  protected static FleetServiceGrpc.FleetServiceBlockingStub fleet(TestPrincipal principal) {
    return signed(principal, FleetServiceGrpc.newBlockingStub(channel))
        .withDeadlineAfter(20, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Initializes the fleet (idempotent: every test class may call it). */
  protected void initFleet() {
    fleet(admin()).initFleet(InitFleetRequest.newBuilder().setOrganization(ORG).build());
  }

  /** A unique suffix for this test's names. */
  protected static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** A registration request of the guide's kind. */
  protected static RegisterBotRequest.Builder botRequest(
      String name, String group, String exchange) {
    return RegisterBotRequest.newBuilder()
        .setName(name)
        .setGroup(group)
        .setExchange(exchange)
        .setStrategy("cross-exchange-arb")
        .setVersion("2.4.1")
        .setTier(Tier.TIER_TRADE)
        .setRequestId(UUID.randomUUID().toString());
  }

  /** Registers a bot through RegisterBot. */
  protected Bot register(RegisterBotRequest.Builder request) {
    initFleet();
    return fleet(admin()).registerBot(request.build()).getBot();
  }

  /** Registers a bot with a unique name in {@code group}. */
  protected Bot register(String group, String exchange) {
    return register(botRequest(group + "-" + unique(), group, exchange));
  }

  /** Opens a registered bot's command stream with its own key and waits until it is active. */
  protected TestBot connect(Bot bot) {
    TestPrincipal principal = TestPrincipal.bot(bot.getId()).trustedBy(keyCache);
    TestBot stream = TestBot.connect(channel, principal);
    await().atMost(Duration.ofSeconds(10)).until(() -> get(bot.getId()).getConnected());
    return stream;
  }

  /** The bot now. */
  protected Bot get(String botId) {
    return fleet(viewer()).getBot(GetBotRequest.newBuilder().setBotId(botId).build()).getBot();
  }

  /** Waits until the bot has the status. */
  protected void awaitStatus(String botId, BotStatus status) {
    await().atMost(Duration.ofSeconds(10)).until(() -> get(botId).getStatus() == status);
  }

  /** A command and where its deliveries stand, as a viewer sees them. */
  protected GetCommandStatusResponse status(String commandId) {
    return fleet(viewer())
        .getCommandStatus(GetCommandStatusRequest.newBuilder().setCommandId(commandId).build());
  }

  /** Waits until every delivery of the command is in the state. */
  protected void awaitState(String commandId, DeliveryState state) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                status(commandId).getDeliveriesList().stream()
                    .allMatch(d -> d.getState() == state));
  }

  protected static Scope bots(String... ids) {
    return Scope.newBuilder().setBots(BotIds.newBuilder().addAllBotIds(List.of(ids))).build();
  }

  protected static Scope group(String group) {
    return Scope.newBuilder().setGroup(group).build();
  }

  protected static String requestId() {
    return UUID.randomUUID().toString();
  }
}
