package io.botfleet.fleet.grpc;

import static io.botfleet.devkit.StatusDetails.badRequestFields;
import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.fleet.FleetTestSupport;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.botfleet.fleet.fakes.Recorder;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.BotStatus;
import io.botfleet.fleet.v1.ListEventsRequest;
import io.botfleet.fleet.v1.RegisterBotRequest;
import io.botfleet.fleet.v1.RegisterBotResponse;
import io.botfleet.identity.v1.IdentityStatus;
import io.botfleet.identity.v1.RegisterAgentRequest;
import io.botfleet.permission.v1.AssignPermissionsRequest;
import io.botfleet.permission.v1.Restrictions;
import io.botfleet.permission.v1.Tier;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesTestResource.class)
class RegisterBotTest extends FleetTestSupport {

  @Test
  void registrationCreatesIdentityThenPermissionsThenTrackingAndHandsOutAToken() {
    String name = "spot-arb-" + unique();
    RegisterBotRequest.Builder request =
        botRequest(name, "spot-arb", "binance")
            .setMaxPositionUsd("10000")
            .setRestrictions(
                Restrictions.newBuilder()
                    .setMaxOrderSizeUsd("5000")
                    .addAllAllowedPairs(List.of("BTC/USDT", "ETH/USDT", "SOL/USDT")));
    initFleet();
    int before = fakes().identity.recorder.calls().size();

    RegisterBotResponse answer = fleet(admin()).registerBot(request.build());

    Bot bot = answer.getBot();
    assertThat(bot.getStatus()).isEqualTo(BotStatus.BOT_STATUS_PENDING);
    assertThat(bot.getCapabilitiesList()).containsExactly("trading", "metrics_reporting");
    assertThat(bot.getRole()).isEqualTo("trading_bot");
    assertThat(answer.getEnrollmentToken()).startsWith("bfe_");
    assertThat(answer.hasEnrollmentExpireTime()).isTrue();
    // Identity first: a pending bot, registered by svc-fleet for the fleet's organization.
    RegisterAgentRequest agent = last(fakes().identity.recorder, "RegisterAgent");
    assertThat(agent.getName()).isEqualTo(name);
    assertThat(agent.getOrganization()).isEqualTo(ORG);
    assertThat(agent.getPublicKey()).isEmpty();
    assertThat(fakes().identity.identity(bot.getId()).getStatus())
        .isEqualTo(IdentityStatus.IDENTITY_STATUS_PENDING_ENROLLMENT);
    // Then permissions with the restrictions given, then health tracking.
    AssignPermissionsRequest permissions = last(fakes().permission.recorder, "AssignPermissions");
    assertThat(permissions.getAgentId()).isEqualTo(bot.getId());
    assertThat(permissions.getTier()).isEqualTo(Tier.TIER_TRADE);
    assertThat(permissions.getRestrictions().getAllowedPairsList()).contains("SOL/USDT");
    assertThat(fakes().health.tracked(bot.getId()).getGroup()).isEqualTo("spot-arb");
    assertThat(
            fakes()
                .identity
                .recorder
                .calls()
                .subList(before, fakes().identity.recorder.calls().size()))
        .extracting(Recorder.Call::method)
        .containsExactly("RegisterAgent", "CreateEnrollmentToken");
    assertThat(fakes().identity.recorder.calls())
        .extracting(Recorder.Call::agent)
        .containsOnly("svc-fleet");
  }

  @Test
  void aRetryWithTheSameRequestIdMakesNoSecondBot() {
    initFleet();
    RegisterBotRequest request = botRequest("retry-" + unique(), "spot-arb", "okx").build();

    RegisterBotResponse first = fleet(admin()).registerBot(request);
    RegisterBotResponse second = fleet(admin()).registerBot(request);

    assertThat(second.getBot().getId()).isEqualTo(first.getBot().getId());
    assertThat(fakes().identity.named(request.getName())).hasSize(1);
    // The first token is never stored; the retry gets a fresh one while the bot has not enrolled.
    assertThat(second.getEnrollmentToken())
        .startsWith("bfe_")
        .isNotEqualTo(first.getEnrollmentToken());
  }

  @Test
  void aRequestIdReusedForAnotherBotIsRefused() {
    initFleet();
    String requestId = requestId();
    fleet(admin())
        .registerBot(
            botRequest("a-" + unique(), "spot-arb", "okx").setRequestId(requestId).build());

    assertThatThrownBy(
            () ->
                fleet(admin())
                    .registerBot(
                        botRequest("b-" + unique(), "spot-arb", "okx")
                            .setRequestId(requestId)
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
              assertThat(errorInfo(e).getReason()).isEqualTo("REQUEST_ID_REUSED");
            });
  }

  @Test
  void aFailedPermissionStepRevokesTheIdentityAndNamesTheField() {
    initFleet();
    String name = "mtgox-" + unique();

    assertThatThrownBy(
            () -> fleet(admin()).registerBot(botRequest(name, "spot-arb", "mtgox").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(badRequestFields(e)).containsExactly("exchange");
            });

    var identity = fakes().identity.named(name);
    assertThat(identity)
        .singleElement()
        .satisfies(
            i -> assertThat(i.getStatus()).isEqualTo(IdentityStatus.IDENTITY_STATUS_REVOKED));
    assertThat(fakes().health.tracked(identity.get(0).getId())).isNull();
    assertThat(listBotsNamed(name)).isEmpty();
    assertThat(
            fleet(viewer())
                .listEvents(
                    ListEventsRequest.newBuilder()
                        .addTypes("fleet.bot_registration_failed")
                        .build())
                .getEventsList())
        .anySatisfy(
            event ->
                assertThat(event.getPayload().getFieldsMap().get("bot_name").getStringValue())
                    .isEqualTo(name));
  }

  @Test
  void aHealthOutageUndoesPermissionsAndIdentityAndARetryStartsOver() {
    initFleet();
    String name = "perp-" + unique();
    RegisterBotRequest request = botRequest(name, "perp-momentum", "bybit").build();
    fakes().health.recorder.failNext("TrackBot", 1, Status.UNAVAILABLE);

    assertThatThrownBy(() -> fleet(admin()).registerBot(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    String firstId = fakes().identity.named(name).get(0).getId();
    assertThat(fakes().identity.identity(firstId).getStatus())
        .isEqualTo(IdentityStatus.IDENTITY_STATUS_REVOKED);
    assertThat(fakes().permission.assigned(firstId)).isFalse();
    assertThat(fakes().health.tracked(firstId)).isNull();

    Bot bot = fleet(admin()).registerBot(request).getBot();

    assertThat(bot.getId()).isNotEqualTo(firstId);
    assertThat(fakes().permission.assigned(bot.getId())).isTrue();
    assertThat(fakes().health.tracked(bot.getId())).isNotNull();
  }

  @Test
  void aTimedOutIdentityCallLeavesNoOrphanIdentity() {
    initFleet();
    String name = "orphan-" + unique();
    fakes().identity.recorder.failNext("RegisterAgent", 1, Status.DEADLINE_EXCEEDED);

    assertThatThrownBy(
            () -> fleet(admin()).registerBot(botRequest(name, "spot-arb", "okx").build()))
        .isInstanceOf(StatusRuntimeException.class);

    // Whether or not the lost call made it, whatever exists under that name is revoked.
    assertThat(fakes().identity.named(name))
        .allSatisfy(
            i -> assertThat(i.getStatus()).isEqualTo(IdentityStatus.IDENTITY_STATUS_REVOKED));
  }

  @Test
  void malformedRequestsNameEveryFieldAndWithdrawIsNeverGivenAtRegistration() {
    initFleet();
    assertThatThrownBy(
            () ->
                fleet(admin())
                    .registerBot(
                        RegisterBotRequest.newBuilder()
                            .setName("Bad Name")
                            .setMaxPositionUsd("-1")
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e ->
                assertThat(badRequestFields(e))
                    .contains(
                        "name",
                        "group",
                        "exchange",
                        "strategy",
                        "version",
                        "max_position_usd",
                        "request_id"));
    assertThatThrownBy(
            () ->
                fleet(admin())
                    .registerBot(
                        botRequest("w-" + unique(), "spot-arb", "binance")
                            .setTier(Tier.TIER_WITHDRAW)
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(errorInfo(e).getReason()).isEqualTo("TIER_NEEDS_ESCALATION");
            });
  }

  @Test
  void aTakenNameIsAlreadyExists() {
    Bot first = register("spot-arb", "binance");

    assertThatThrownBy(
            () ->
                fleet(admin())
                    .registerBot(botRequest(first.getName(), "spot-arb", "binance").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
              assertThat(errorInfo(e).getReason()).isEqualTo("BOT_EXISTS");
            });
  }

  @Test
  void operatorsBelowAdminMayNotRegister() {
    assertThatThrownBy(
            () -> fleet(operator()).registerBot(botRequest("x-" + unique(), "g", "okx").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  @Test
  void aBotBecomesActiveWhenItConnects() {
    Bot bot = register("spot-arb", "binance");

    try (var stream = connect(bot)) {
      awaitStatus(bot.getId(), BotStatus.BOT_STATUS_ACTIVE);
    }
  }

  private List<Bot> listBotsNamed(String name) {
    return fleet(viewer())
        .listBots(io.botfleet.fleet.v1.ListBotsRequest.newBuilder().setPageSize(1000).build())
        .getBotsList()
        .stream()
        .filter(b -> b.getName().equals(name))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static <T> T last(Recorder recorder, String method) {
    List<com.google.protobuf.Message> requests = recorder.requests(method);
    return (T) requests.get(requests.size() - 1);
  }
}
