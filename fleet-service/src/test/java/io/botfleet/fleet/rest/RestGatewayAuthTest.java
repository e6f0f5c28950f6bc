package io.botfleet.fleet.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.fleet.FleetTestSupport;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.botfleet.fleet.v1.Bot;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The REST gateway authenticates as gRPC does: signatures over the method line and the body as
 * sent, the same key cache, skew and replay checks, and the access rule of the RPC a route maps to;
 * every refusal is problem+json.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesTestResource.class)
class RestGatewayAuthTest extends FleetTestSupport {

  static Response call(TestPrincipal principal, String method, String target, String json) {
    return HttpSigning.signed(principal, method, target, json).request(method, target);
  }

  @Test
  void aSignedRequestIsServedAsTheRpcItMapsTo() {
    initFleet();
    call(viewer(), "GET", "/api/v1/status", null)
        .then()
        .statusCode(200)
        .contentType("application/json")
        .body("fleet_manager", startsWith("fleet-manager-"))
        .body("status_counts.active", org.hamcrest.Matchers.notNullValue());
  }

  @Test
  void anUnsignedRequestIs401ProblemJson() {
    given()
        .get("/api/v1/status")
        .then()
        .statusCode(401)
        .contentType(ProblemMapper.PROBLEM_JSON)
        .body("type", equalTo("https://botfleet.io/problems/request-not-authenticated"))
        .body("title", equalTo("Unauthorized"))
        .body("status", equalTo(401))
        .body("reason", equalTo("REQUEST_NOT_AUTHENTICATED"))
        .body("grpc_status", equalTo("UNAUTHENTICATED"))
        .body("detail", containsString("missing bf-agent"));
  }

  @Test
  void aBodyOtherThanTheOneSignedIs401() {
    String signedBody = "{\"scope\": {\"group\": \"g-a\"}, \"reason\": \"x\"}";
    Map<String, String> headers =
        HttpSigning.headers(
            operator(),
            "POST",
            "/api/v1/commands/pause",
            signedBody.getBytes(StandardCharsets.UTF_8));
    given()
        .headers(headers)
        .contentType("application/json")
        .body("{\"scope\": {\"fleet\": true}, \"reason\": \"x\"}")
        .post("/api/v1/commands/pause")
        .then()
        .statusCode(401)
        .body("detail", containsString("does not verify"));
  }

  @Test
  void aSignatureForAnotherPathOrQueryIs401() {
    Map<String, String> headers =
        HttpSigning.headers(viewer(), "GET", "/api/v1/bots?group=a", new byte[0]);
    given()
        .urlEncodingEnabled(false)
        .headers(headers)
        .get("/api/v1/bots?group=b")
        .then()
        .statusCode(401)
        .body("reason", equalTo("REQUEST_NOT_AUTHENTICATED"));
  }

  @Test
  void aReplayedRequestIs401() {
    Map<String, String> headers =
        HttpSigning.headers(viewer(), "GET", "/api/v1/status", new byte[0]);
    given().headers(headers).get("/api/v1/status").then().statusCode(200);
    given()
        .headers(headers)
        .get("/api/v1/status")
        .then()
        .statusCode(401)
        .body("detail", containsString("replay"));
  }

  @Test
  void anOldTimestampIs401() {
    TestPrincipal viewer = viewer();
    var signer =
        new io.botfleet.signing.RequestSigner(
            viewer::credentials,
            java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(-5)));
    var signed = signer.sign("GET /api/v1/status", new byte[0]);
    given()
        .header("bf-agent", signed.agentId())
        .header("bf-key-version", Integer.toString(signed.keyVersion()))
        .header("bf-timestamp", Long.toString(signed.timestampMillis()))
        .header("bf-nonce", signed.nonce())
        .header("bf-signature", java.util.Base64.getEncoder().encodeToString(signed.signature()))
        .get("/api/v1/status")
        .then()
        .statusCode(401)
        .body("detail", containsString("window"));
  }

  @Test
  void aRoleBelowTheRpcsRuleIs403AndNothingHappens() {
    String group = "g-" + unique();
    Bot bot = register(group, "binance");
    int before = fakes().permission.recorder.requests("SuspendBot").size();
    call(
            viewer(),
            "POST",
            "/api/v1/commands/pause",
            "{\"scope\": {\"group\": \"" + group + "\"}, \"reason\": \"x\"}")
        .then()
        .statusCode(403)
        .contentType(ProblemMapper.PROBLEM_JSON)
        .body("reason", equalTo("ACCESS_DENIED"))
        .body("grpc_status", equalTo("PERMISSION_DENIED"))
        .body("metadata.rpc", equalTo("botfleet.fleet.v1.FleetService/PauseBots"))
        .body("metadata.min_operator_role", equalTo("OPERATOR"));
    // RegisterBot needs ADMIN: an OPERATOR is refused too.
    call(operator(), "POST", "/api/v1/bots", "{\"name\": \"x-" + unique() + "\"}")
        .then()
        .statusCode(403)
        .body("metadata.min_operator_role", equalTo("ADMIN"));
    assertThat(get(bot.getId()).getStatus())
        .isNotEqualTo(io.botfleet.fleet.v1.BotStatus.BOT_STATUS_PAUSED);
    assertThat(fakes().permission.recorder.requests("SuspendBot")).hasSize(before);
  }

  @Test
  void aForbiddenRouteWithABadSignatureIs401NotA403() {
    // The access rule is checked only for a caller that proved it holds the key: whoever merely
    // knows a viewer's agent id cannot learn which routes that viewer may call.
    String body = "{\"scope\": {\"fleet\": true}, \"reason\": \"x\"}";
    Map<String, String> headers =
        HttpSigning.headers(
            viewer(), "POST", "/api/v1/commands/pause", "{}".getBytes(StandardCharsets.UTF_8));
    given()
        .headers(headers)
        .contentType("application/json")
        .body(body)
        .post("/api/v1/commands/pause")
        .then()
        .statusCode(401)
        .body("reason", equalTo("REQUEST_NOT_AUTHENTICATED"))
        .body("detail", containsString("does not verify"));
  }

  @Test
  void aBotReadsItselfButNoOtherBot() {
    Bot self = register("g-" + unique(), "binance");
    Bot other = register("g-" + unique(), "binance");
    TestPrincipal bot = TestPrincipal.bot(self.getId()).trustedBy(keyCache);
    call(bot, "GET", "/api/v1/bots/" + self.getId(), null)
        .then()
        .statusCode(200)
        .body("bot.id", equalTo(self.getId()));
    call(bot, "GET", "/api/v1/bots/" + other.getId(), null)
        .then()
        .statusCode(403)
        .body("reason", equalTo("NOT_SELF"));
    // ListBots admits no bot at all.
    call(bot, "GET", "/api/v1/bots", null)
        .then()
        .statusCode(403)
        .body("reason", equalTo("ACCESS_DENIED"));
  }

  @Test
  void anUnknownRouteIsAProblemToo() {
    call(viewer(), "GET", "/api/v1/nothing-here", null)
        .then()
        .statusCode(404)
        .contentType(ProblemMapper.PROBLEM_JSON)
        .body("reason", equalTo("ROUTE_NOT_FOUND"));
  }
}
