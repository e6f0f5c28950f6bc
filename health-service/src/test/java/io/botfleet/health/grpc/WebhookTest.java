package io.botfleet.health.grpc;

import static io.botfleet.devkit.StatusDetails.badRequestFields;
import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.health.v1.DeleteWebhookRequest;
import io.botfleet.health.v1.ListWebhookDeliveriesRequest;
import io.botfleet.health.v1.ListWebhooksRequest;
import io.botfleet.health.v1.RegisterWebhookRequest;
import io.botfleet.health.v1.RegisterWebhookResponse;
import io.botfleet.health.v1.WebhookDelivery;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class WebhookTest extends HealthTestSupport {

  /** A delivery as the receiver saw it. */
  record Received(Map<String, String> headers, String body) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  // Webhooks have no bot filter: alerts of bots left by other test classes may arrive too, so the
  // tests look only at deliveries about their own bot, and the receiver fails only those.
  private final AtomicInteger failFirst = new AtomicInteger();
  private volatile String failFor = "";
  private HttpServer receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hooks",
        exchange -> {
          try (exchange) {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!failFor.isEmpty()
                && body.contains(failFor)
                && failFirst.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              exchange.sendResponseHeaders(503, -1);
              return;
            }
            received.add(
                new Received(
                    Map.of(
                        "webhook-id", exchange.getRequestHeaders().getFirst("webhook-id"),
                        "webhook-timestamp",
                            exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        "webhook-signature",
                            exchange.getRequestHeaders().getFirst("webhook-signature")),
                    body));
            exchange.sendResponseHeaders(204, -1);
          }
        });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  @Test
  void healthAlertsAreDeliveredSignedTheStandardWebhooksWay() throws Exception {
    RegisterWebhookResponse registered = register(List.of("fleet.health_alert"), "");
    String secret = registered.getSecret();
    assertThat(secret).startsWith("whsec_");
    TestPrincipal bot = trackedBot(unique("spot-arb"));
    BotStream stream = new BotStream(bot, channel);
    stream.send(heartbeat(1).setDrawdownPct(12)); // healthy? no: unknown -> critical: one alert
    stream.next();

    Received delivery = awaitDeliveryAbout(bot, Duration.ofSeconds(15));
    String expected =
        sign(
            secret,
            delivery.headers().get("webhook-id"),
            delivery.headers().get("webhook-timestamp"),
            delivery.body());
    assertThat(delivery.headers().get("webhook-signature")).isEqualTo(expected);
    long age =
        System.currentTimeMillis() / 1000
            - Long.parseLong(delivery.headers().get("webhook-timestamp"));
    assertThat(age).isBetween(0L, 30L);
    JsonNode body = new ObjectMapper().readTree(delivery.body());
    assertThat(body.path("type").asText()).isEqualTo("fleet.health_alert");
    assertThat(body.path("data").path("severity").asText()).isEqualTo("critical");
    assertThat(body.path("data").path("agent_id").asText()).isEqualTo(bot.agentId());
    assertThat(body.path("data").path("issues").get(0).asText()).isEqualTo("high_drawdown:12.0%");

    // The delivery log (marked delivered once the receiver's answer is back, which may be just
    // after the receiver saw the request), and the secret is never shown again.
    ListWebhookDeliveriesRequest deliveries =
        ListWebhookDeliveriesRequest.newBuilder()
            .setWebhookId(registered.getWebhook().getId())
            .build();
    String deliveryId = delivery.headers().get("webhook-id");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                stub(operator()).listWebhookDeliveries(deliveries).getDeliveriesList().stream()
                    .anyMatch(
                        d -> d.getId().equals(deliveryId) && d.getState().equals("delivered")));
    List<WebhookDelivery> log =
        stub(operator()).listWebhookDeliveries(deliveries).getDeliveriesList().stream()
            .filter(d -> d.getId().equals(deliveryId))
            .toList();
    assertThat(log).hasSize(1);
    assertThat(received.stream().filter(r -> r.body().contains(bot.agentId()))).hasSize(1);
    String listed =
        stub(operator()).listWebhooks(ListWebhooksRequest.getDefaultInstance()).toString();
    assertThat(listed)
        .contains(registered.getWebhook().getId())
        .doesNotContain(secret.substring(6));
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                GreenHelixTestResource.standIn().accepted("register_webhook").stream()
                    .anyMatch(c -> c.input().path("url").asText().equals(url())));
    assertThat(GreenHelixTestResource.standIn().violations()).isEmpty();
    delete(registered);
    stream.finish();
    untrack(bot.agentId());
  }

  @Test
  void aFailingReceiverGetsTheSameDeliveryAgainUntilItAnswers() throws Exception {
    String secret = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
    RegisterWebhookResponse registered = register(List.of("fleet.health_alert"), secret);
    assertThat(registered.getSecret()).isEqualTo(secret);
    TestPrincipal bot = trackedBot(unique("perp"));
    failFirst.set(2);
    failFor = bot.agentId();
    BotStream stream = new BotStream(bot, channel);
    stream.send(heartbeat(1).setErrorCount(5));
    stream.next();

    Received delivery = awaitDeliveryAbout(bot, Duration.ofSeconds(20));
    String deliveryId = delivery.headers().get("webhook-id");
    WebhookDelivery logged =
        stub(operator())
            .listWebhookDeliveries(
                ListWebhookDeliveriesRequest.newBuilder()
                    .setWebhookId(registered.getWebhook().getId())
                    .build())
            .getDeliveriesList()
            .stream()
            .filter(d -> d.getId().equals(deliveryId))
            .findFirst()
            .orElseThrow();
    assertThat(logged.getAttempts()).isEqualTo(3);
    assertThat(logged.getState()).isEqualTo("delivered");
    assertThat(delivery.headers().get("webhook-signature"))
        .isEqualTo(
            sign(
                secret,
                delivery.headers().get("webhook-id"),
                delivery.headers().get("webhook-timestamp"),
                delivery.body()));
    var webhook =
        stub(operator())
            .listWebhooks(ListWebhooksRequest.getDefaultInstance())
            .getWebhooksList()
            .stream()
            .filter(w -> w.getId().equals(registered.getWebhook().getId()))
            .findFirst()
            .orElseThrow();
    // Its own delivery at least; another bot's alert may have been delivered too.
    assertThat(webhook.getDeliveredCount()).isPositive();
    delete(registered);
    stream.finish();
    untrack(bot.agentId());
  }

  @Test
  void badRegistrationsNameTheirFields() {
    assertThatThrownBy(
            () ->
                stub(operator())
                    .registerWebhook(
                        RegisterWebhookRequest.newBuilder()
                            .setUrl("http://example.com/hook")
                            .addEventTypes("fleet.everything")
                            .setSecret("plain-secret")
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(badRequestFields(e)).containsExactly("event_types[0]", "secret", "url");
            });
    assertThatThrownBy(
            () ->
                stub(operator())
                    .deleteWebhook(
                        DeleteWebhookRequest.newBuilder()
                            .setWebhookId("00000000-0000-0000-0000-000000000000")
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(errorInfo(e).getReason()).isEqualTo("WEBHOOK_NOT_FOUND"));
  }

  /** The first delivery the receiver accepted about {@code bot}. */
  private Received awaitDeliveryAbout(TestPrincipal bot, Duration within) {
    return await()
        .atMost(within)
        .until(
            () ->
                received.stream()
                    .filter(r -> r.body().contains(bot.agentId()))
                    .findFirst()
                    .orElse(null),
            java.util.Objects::nonNull);
  }

  private RegisterWebhookResponse register(List<String> types, String secret) {
    return stub(operator())
        .registerWebhook(
            RegisterWebhookRequest.newBuilder()
                .setUrl(url())
                .addAllEventTypes(types)
                .setSecret(secret)
                .build());
  }

  private void delete(RegisterWebhookResponse registered) {
    stub(operator())
        .deleteWebhook(
            DeleteWebhookRequest.newBuilder()
                .setWebhookId(registered.getWebhook().getId())
                .build());
  }

  private String url() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
  }

  /** The Standard Webhooks signature, computed independently of botfleet's code. */
  private static String sign(String secret, String id, String timestamp, String body)
      throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(
            Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    byte[] digest =
        mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
    return "v1," + Base64.getEncoder().encodeToString(digest);
  }
}
