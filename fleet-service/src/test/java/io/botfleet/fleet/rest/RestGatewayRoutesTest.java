package io.botfleet.fleet.rest;

import static io.botfleet.fleet.rest.RestGatewayAuthTest.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import io.botfleet.billing.v1.GetFleetCostSummaryRequest;
import io.botfleet.common.auth.ServiceCredentials;
import io.botfleet.deploy.v1.CreateDeploymentRequest;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.fleet.FleetTestSupport;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.botfleet.fleet.fakes.Recorder;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.signing.SigningKey;
import io.botfleet.signing.VerifyingKey;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The routes against the running service: fleet routes through the same use cases as gRPC (the
 * operator recorded as the actor), deployments and cost reports through deploy-service and
 * billing-service (faked), health through health-service, and every failure as problem+json with
 * the gRPC status mapped.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesTestResource.class)
class RestGatewayRoutesTest extends FleetTestSupport {

  @Test
  void anAdminRegistersGetsAndListsBots() {
    initFleet();
    String group = "g-" + unique();
    String name = group + "-01";
    String id =
        call(
                admin(),
                "POST",
                "/api/v1/bots",
                """
                {"name": "%s", "group": "%s", "exchange": "binance", "strategy": "arb",
                 "version": "2.4.1", "tier": "TIER_TRADE", "request_id": "%s"}"""
                    .formatted(name, group, requestId()))
            .then()
            .statusCode(201)
            .header("Location", containsString("/api/v1/bots/bot-"))
            .body("bot.name", equalTo(name))
            .body("enrollment_token", org.hamcrest.Matchers.startsWith("bfe_"))
            .extract()
            .path("bot.id");

    call(viewer(), "GET", "/api/v1/bots/" + id, null)
        .then()
        .statusCode(200)
        .body("bot.group", equalTo(group))
        .body("bot.connected", equalTo(false));
    call(viewer(), "GET", "/api/v1/bots/by-name/" + name, null)
        .then()
        .statusCode(200)
        .body("bot.id", equalTo(id));
    call(viewer(), "GET", "/api/v1/bots?group=" + group + "&statuses=PENDING&page_size=10", null)
        .then()
        .statusCode(200)
        .body("bots.id", hasItem(id))
        .body("total_size", equalTo(1));
  }

  @Test
  void anOperatorPausesAGroupAndIsTheRecordedActor() {
    String group = "g-" + unique();
    Bot a = register(group, "binance");
    Bot b = register(group, "binance");
    var operator = operator();
    String commandId =
        call(
                operator,
                "POST",
                "/api/v1/commands/pause",
                """
                {"scope": {"group": "%s"}, "reason": "exchange maintenance", "ttl": "3600s",
                 "request_id": "%s"}"""
                    .formatted(group, requestId()))
            .then()
            .statusCode(200)
            .body("command.type", equalTo("pause"))
            .body("command.issued_by", equalTo(operator.agentId()))
            .body("bot_ids", hasItems(a.getId(), b.getId()))
            .extract()
            .path("command.id");
    call(viewer(), "GET", "/api/v1/commands/" + commandId, null)
        .then()
        .statusCode(200)
        .body("deliveries.bot_id", hasItems(a.getId(), b.getId()));

    // The use case saw the operator as its caller: the event log names them as the actor.
    call(
            viewer(),
            "GET",
            "/api/v1/events?types=fleet.command_issued&actor=" + operator.agentId(),
            null)
        .then()
        .statusCode(200)
        .body("events.actor", hasItem(operator.agentId()))
        .body("events[0].payload.command_id", equalTo(commandId));
  }

  @Test
  void emergencyStopAndSendCommandAtBotScope() {
    Bot bot = register("g-" + unique(), "binance");
    String commandId =
        call(
                operator(),
                "POST",
                "/api/v1/commands/emergency-stop",
                """
                {"scope": {"bots": {"bot_ids": ["%s"]}}, "reason": "flash crash",
                 "request_id": "%s"}"""
                    .formatted(bot.getId(), requestId()))
            .then()
            .statusCode(200)
            .body("command.type", equalTo("emergency_stop"))
            .body("command.priority", equalTo(true))
            .extract()
            .path("command.id");
    call(viewer(), "GET", "/api/v1/commands/" + commandId, null)
        .then()
        .statusCode(200)
        .body("deliveries.bot_id", hasItem(bot.getId()));

    call(
            operator(),
            "POST",
            "/api/v1/commands",
            """
            {"scope": {"bots": {"bot_ids": ["%s"]}}, "type": "reload_config",
             "payload": {"config_version": "7"}, "request_id": "%s"}"""
                .formatted(bot.getId(), requestId()))
        .then()
        .statusCode(200)
        .body("command.type", equalTo("reload_config"))
        .body("command.payload.config_version", equalTo("7"));
  }

  @Test
  void invalidInputIs400NamingTheField() {
    call(operator(), "POST", "/api/v1/commands/pause", "{\"reason\": \"no scope\"}")
        .then()
        .statusCode(400)
        .contentType(ProblemMapper.PROBLEM_JSON)
        .body("reason", equalTo("INVALID_ARGUMENT"))
        .body("grpc_status", equalTo("INVALID_ARGUMENT"))
        .body("field", equalTo("scope"))
        .body("violations[0].field", equalTo("scope"));
    call(operator(), "POST", "/api/v1/commands/pause", "{\"scope\": {\"grup\": \"typo\"}}")
        .then()
        .statusCode(400)
        .body("field", equalTo("body"));
    call(viewer(), "GET", "/api/v1/bots?grup=typo", null)
        .then()
        .statusCode(400)
        .body("field", equalTo("grup"));
    call(viewer(), "GET", "/api/v1/bots?statuses=SLEEPING", null)
        .then()
        .statusCode(400)
        .body("field", equalTo("statuses"));
  }

  @Test
  void anUnknownBotIs404WithItsReasonAndId() {
    call(viewer(), "GET", "/api/v1/bots/bot-0000000000000000", null)
        .then()
        .statusCode(404)
        .body("type", equalTo("https://botfleet.io/problems/bot-not-found"))
        .body("reason", equalTo("BOT_NOT_FOUND"))
        .body("grpc_status", equalTo("NOT_FOUND"))
        .body("metadata.bot_id", equalTo("bot-0000000000000000"));
  }

  @Test
  void deploymentsGoToDeployServiceActingForTheOperatorAfterItsRoleIsChecked() {
    String group = "g-" + unique();
    String create =
        """
        {"version": "1.9.0", "artifact_ref": "registry.example.com/bots:1.9.0",
         "selector": {"scope": {"group": "%s"}}, "strategy": "STRATEGY_ROLLING",
         "request_id": "%s"}"""
            .formatted(group, requestId());
    int calls = fakes().deploy.recorder.requests("CreateDeployment").size();
    call(viewer(), "POST", "/api/v1/deployments", create).then().statusCode(403);
    assertThat(fakes().deploy.recorder.requests("CreateDeployment")).hasSize(calls);

    var operator = operator();
    String id =
        call(operator, "POST", "/api/v1/deployments", create)
            .then()
            .statusCode(201)
            .header("Location", containsString("/api/v1/deployments/"))
            .body("deployment.state", equalTo("DEPLOYMENT_STATE_CANARY"))
            .body("deployment.strategy", equalTo("STRATEGY_ROLLING"))
            .extract()
            .path("deployment.id");
    List<CreateDeploymentRequest> sent = fakes().deploy.recorder.requests("CreateDeployment");
    assertThat(sent.get(sent.size() - 1).getSelector().getScope().getGroup()).isEqualTo(group);
    // deploy-service got fleet-service's signature over the request and botfleet-acting-for
    // naming the operator: deploy-service records the operator, via fleet-service.
    var lastCall = last(fakes().deploy.recorder, "CreateDeployment");
    assertThat(lastCall.agent()).isEqualTo(serviceCredentials.agentId());
    assertThat(lastCall.actingFor()).isEqualTo(operator.agentId());
    assertThat(lastCall.signatureVerifies(fleetKey(), CREATE_DEPLOYMENT)).isTrue();
    assertThat(lastCall.request()).isEqualTo(sent.get(sent.size() - 1));
    assertThat(lastCall.signatureVerifies(SigningKey.generate().publicKey(), CREATE_DEPLOYMENT))
        .isFalse();

    call(viewer(), "GET", "/api/v1/deployments/" + id, null)
        .then()
        .statusCode(200)
        .body("deployment.id", equalTo(id));
    call(viewer(), "GET", "/api/v1/deployments?group=" + group + "&states=CANARY", null)
        .then()
        .statusCode(200)
        .body("deployments.id", hasItem(id));
    call(operator(), "POST", "/api/v1/deployments/" + id + "/pause", "{\"reason\": \"look\"}")
        .then()
        .statusCode(200)
        .body("deployment.state", equalTo("DEPLOYMENT_STATE_PAUSED"));
    call(operator(), "POST", "/api/v1/deployments/" + id + "/resume", null)
        .then()
        .statusCode(200)
        .body("deployment.state", equalTo("DEPLOYMENT_STATE_CANARY"));

    // A second deployment of the group: deploy-service's FAILED_PRECONDITION is 409.
    call(operator(), "POST", "/api/v1/deployments", create.replace("1.9.0", "1.9.1"))
        .then()
        .statusCode(409)
        .body("reason", equalTo("DEPLOYMENT_ACTIVE"))
        .body("grpc_status", equalTo("FAILED_PRECONDITION"))
        .body("metadata.deployment_id", equalTo(id));
    call(operator(), "POST", "/api/v1/deployments/" + id + "/abort", "{\"reason\": \"stop\"}")
        .then()
        .statusCode(200)
        .body("deployment.state", equalTo("DEPLOYMENT_STATE_ABORTED"));
    call(operator(), "POST", "/api/v1/deployments/" + id + "/pause", "{\"reason\": \"late\"}")
        .then()
        .statusCode(409)
        .body("reason", equalTo("DEPLOYMENT_FINISHED"));
    call(operator(), "POST", "/api/v1/deployments/" + id + "/rollback", "{\"reason\": \"bad\"}")
        .then()
        .statusCode(200)
        .body("deployment.state", equalTo("DEPLOYMENT_STATE_ROLLING_BACK"));

    call(
            operator(),
            "POST",
            "/api/v1/deployments",
            "{\"selector\": {\"scope\": {\"group\": \"x\"}}}")
        .then()
        .statusCode(400)
        .body("field", equalTo("version"))
        .body("violations.field", hasItems("version", "artifact_ref"));
    call(viewer(), "GET", "/api/v1/deployments/no-such-id", null)
        .then()
        .statusCode(404)
        .body("reason", equalTo("DEPLOYMENT_NOT_FOUND"));
  }

  @Test
  void theGatewayActsForOperatorsOnlyAndFleetsOwnCallsCarryNoHeader() {
    // Fleet-service's own call (TrackBot, on registration) is on its own account.
    int tracked = fakes().health.recorder.requests("TrackBot").size();
    Bot bot = register("g-" + unique(), "binance");
    var track =
        fakes().health.recorder.calls().stream()
            .filter(c -> c.method().equals("TrackBot"))
            .skip(tracked)
            .findFirst()
            .orElseThrow();
    assertThat(track.actingFor()).isNull();
    assertThat(
            track.signatureVerifies(fleetKey(), "botfleet.health.v1.FleetHealthService/TrackBot"))
        .isTrue();

    // A viewer's read of health and costs acts for that viewer, signed.
    var viewer = viewer();
    call(viewer, "GET", "/api/v1/health/dashboard", null).then().statusCode(200);
    var dashboard = last(fakes().health.recorder, "GetFleetHealthDashboard");
    assertThat(dashboard.actingFor()).isEqualTo(viewer.agentId());
    assertThat(
            dashboard.signatureVerifies(
                fleetKey(), "botfleet.health.v1.FleetHealthService/GetFleetHealthDashboard"))
        .isTrue();
    fakes().billing.cost(bot.getId(), "1.00");
    call(viewer, "GET", "/api/v1/costs/fleet?period.month=2026-11", null).then().statusCode(200);
    var costs = last(fakes().billing.recorder, "GetFleetCostSummary");
    assertThat(costs.actingFor()).isEqualTo(viewer.agentId());
    assertThat(
            costs.signatureVerifies(
                fleetKey(), "botfleet.billing.v1.BillingService/GetFleetCostSummary"))
        .isTrue();

    // A bot's read about itself goes on fleet-service's account (only operators are delegated).
    var self = io.botfleet.devkit.TestPrincipal.bot(bot.getId()).trustedBy(keyCache);
    call(self, "GET", "/api/v1/costs/bots/" + bot.getId() + "?period.month=2026-11", null)
        .then()
        .statusCode(200);
    assertThat(last(fakes().billing.recorder, "GetBotCostSummary").actingFor()).isNull();
  }

  private static final String CREATE_DEPLOYMENT =
      "botfleet.deploy.v1.DeployService/CreateDeployment";

  @Inject ServiceCredentials serviceCredentials;

  private VerifyingKey fleetKey() {
    return serviceCredentials.get().key().publicKey();
  }

  private static Recorder.Call last(Recorder recorder, String method) {
    return recorder.calls().stream()
        .filter(c -> c.method().equals(method))
        .reduce((x, y) -> y)
        .orElseThrow(() -> new AssertionError("no call of " + method));
  }

  @Test
  void aDependencyDownIs503AndTooSlowIs504() {
    fakes().deploy.recorder.failNext("ListDeployments", 1, Status.UNAVAILABLE);
    call(viewer(), "GET", "/api/v1/deployments", null)
        .then()
        .statusCode(503)
        .header("Retry-After", "1")
        .body("grpc_status", equalTo("UNAVAILABLE"))
        .body("reason", equalTo("DEPLOY_UNAVAILABLE"));

    fakes().deploy.delay(2_500); // the test profile's call deadline is 2 s
    try {
      call(viewer(), "GET", "/api/v1/deployments", null)
          .then()
          .statusCode(504)
          .body("grpc_status", equalTo("DEADLINE_EXCEEDED"))
          .body("metadata.remote_status", equalTo("DEADLINE_EXCEEDED"));
    } finally {
      fakes().deploy.delay(0);
    }
    fakes().deploy.recorder.failNext("ListDeployments", 1, Status.UNIMPLEMENTED);
    call(viewer(), "GET", "/api/v1/deployments", null)
        .then()
        .statusCode(501)
        .body("grpc_status", equalTo("UNIMPLEMENTED"));
  }

  @Test
  void costReportsComeFromBillingWithThePeriodFromTheQuery() {
    Bot bot = register("g-" + unique(), "binance");
    fakes().billing.cost(bot.getId(), "12.50");
    call(viewer(), "GET", "/api/v1/costs/fleet?period.month=2026-11", null)
        .then()
        .statusCode(200)
        .body("costs_by_bot.bot_id", hasItem(bot.getId()))
        .body("period.month", equalTo("2026-11"));
    List<GetFleetCostSummaryRequest> sent =
        fakes().billing.recorder.requests("GetFleetCostSummary");
    assertThat(sent.get(sent.size() - 1).getPeriod().getMonth()).isEqualTo("2026-11");

    call(viewer(), "GET", "/api/v1/costs/bots/" + bot.getId() + "?period.day=2026-11-25", null)
        .then()
        .statusCode(200)
        .body("total_cost_usd", equalTo("12.50"));
    call(viewer(), "GET", "/api/v1/costs/bots/" + bot.getId() + "/roi?period.month=2026-11", null)
        .then()
        .statusCode(200)
        .body("roi.net_pnl_usd", equalTo("987.50"));
    call(viewer(), "GET", "/api/v1/costs/roi-ranking?period.month=2026-11", null)
        .then()
        .statusCode(200)
        .body("ranking.bot_id", hasItem(bot.getId()));
    call(viewer(), "GET", "/api/v1/costs/fleet", null)
        .then()
        .statusCode(400)
        .body("field", equalTo("period"));

    // billing sees fleet-service: the gateway keeps the bot_self half of the rule itself.
    var self = io.botfleet.devkit.TestPrincipal.bot(bot.getId()).trustedBy(keyCache);
    call(self, "GET", "/api/v1/costs/bots/" + bot.getId() + "?period.month=2026-11", null)
        .then()
        .statusCode(200);
    call(self, "GET", "/api/v1/costs/bots/bot-0000000000000001?period.month=2026-11", null)
        .then()
        .statusCode(403)
        .body("reason", equalTo("NOT_SELF"));
  }

  @Test
  void theHealthDashboardComesFromHealthService() {
    Bot bot = register("g-" + unique(), "binance");
    int before = fakes().health.recorder.requests("GetFleetHealthDashboard").size();
    call(viewer(), "GET", "/api/v1/health/dashboard", null)
        .then()
        .statusCode(200)
        .body("total_bots", notNullValue())
        .body("status_summary.unknown", notNullValue());
    assertThat(fakes().health.recorder.requests("GetFleetHealthDashboard")).hasSize(before + 1);

    call(viewer(), "GET", "/api/v1/health/bots/" + bot.getId(), null)
        .then()
        .statusCode(200)
        .body("health.bot_id", equalTo(bot.getId()))
        .body("health.status", equalTo("HEALTH_STATUS_UNKNOWN"));
    call(viewer(), "GET", "/api/v1/health/bots/bot-0000000000000002", null)
        .then()
        .statusCode(404)
        .body("reason", equalTo("BOT_NOT_TRACKED"));
  }
}
