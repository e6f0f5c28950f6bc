package io.botfleet.devkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GreenHelixStandInTest {

  private static final String KEY = "test-key";
  private static final String SCHEMA =
      """
      {"type": "object",
       "properties": {"deployment_id": {"type": "string"}, "bots_deployed": {"type": "integer"},
                      "bot_names": {"type": "array"}},
       "required": ["deployment_id", "bots_deployed", "bot_names"]}""";

  private final HttpClient http = HttpClient.newHttpClient();
  private GreenHelixStandIn standIn;

  @BeforeEach
  void start() {
    standIn = GreenHelixStandIn.start(KEY);
  }

  @AfterEach
  void stop() {
    standIn.close();
  }

  @Test
  void anEventThatBreaksItsTypesSchemaIsRefusedNamingTheField() throws Exception {
    assertThat(
            call(
                "create_event_schema",
                "{\"event_type\": \"fleet.deployment_complete\", \"schema\": " + SCHEMA + "}"))
        .isEqualTo(200);

    int wrongType =
        publish(
            "fleet.deployment_complete",
            "{\"deployment_id\": \"deploy-1\", \"bots_deployed\": [\"a\"], \"bot_names\": []}");
    int missing = publish("fleet.deployment_complete", "{\"deployment_id\": \"deploy-1\"}");
    int valid =
        publish(
            "fleet.deployment_complete",
            "{\"deployment_id\": \"deploy-1\", \"bots_deployed\": 2, \"bot_names\": [\"a\","
                + " \"b\"], \"extra\": true}");

    assertThat(wrongType).isEqualTo(400);
    assertThat(missing).isEqualTo(400);
    assertThat(valid).isEqualTo(200);
    assertThat(standIn.violations())
        .containsExactly(
            "publish_event: fleet.deployment_complete payload.bots_deployed must be integer by"
                + " its schema, got array",
            "publish_event: fleet.deployment_complete payload.bots_deployed is required by its"
                + " schema");
  }

  @Test
  void anEventOfATypeWithoutASchemaIsCheckedOnlyForItsEnvelope() throws Exception {
    assertThat(publish("fleet.deployment_paused", "{\"step\": \"not a number\"}")).isEqualTo(200);
    assertThat(standIn.violations()).isEmpty();
  }

  private int publish(String type, String payload) throws Exception {
    return call(
        "publish_event",
        "{\"agent_id\": \"svc-deploy\", \"event_type\": \""
            + type
            + "\", \"payload\": "
            + payload
            + "}");
  }

  private int call(String tool, String input) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(standIn.url() + "/v1"))
            .header("Authorization", "Bearer " + KEY)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", UUID.randomUUID().toString())
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"tool\": \"" + tool + "\", \"input\": " + input + "}"))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
