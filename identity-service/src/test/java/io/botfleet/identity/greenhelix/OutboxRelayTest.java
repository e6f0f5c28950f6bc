package io.botfleet.identity.greenhelix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.common.greenhelix.Outbox;
import io.botfleet.devkit.GreenHelixStandIn;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The shared outbox relay (botfleet-common) as a service runs it: calls queued in a transaction
 * reach GreenHelix through an outage, in order per agent, each retry with the same idempotency key,
 * and a rolled-back change sends nothing.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class OutboxRelayTest {

  @Inject Outbox outbox;

  @Test
  void callsForOneAgentArriveInOrderThroughAnOutageWithStableIdempotencyKeys() {
    GreenHelixStandIn greenHelix = GreenHelixTestResource.standIn();
    String agent = "bot-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    greenHelix.failNext(3, 503);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              for (int i = 0; i < 5; i++) {
                outbox.enqueue(
                    agent,
                    "submit_metrics",
                    Map.of("agent_id", agent, "metrics", Map.of("seq", i)));
              }
            });

    await().atMost(Duration.ofSeconds(15)).until(() -> delivered(greenHelix, agent).size() == 5);

    assertThat(delivered(greenHelix, agent))
        .extracting(c -> c.input().get("metrics").get("seq").asInt())
        .containsExactly(0, 1, 2, 3, 4);
    List<GreenHelixStandIn.Call> all =
        greenHelix.calls().stream()
            .filter(c -> c.input() != null && agent.equals(c.input().path("agent_id").asText()))
            .toList();
    List<GreenHelixStandIn.Call> failed = all.stream().filter(c -> c.status() == 503).toList();
    assertThat(failed).isNotEmpty();
    assertThat(delivered(greenHelix, agent))
        .extracting(GreenHelixStandIn.Call::idempotencyKey)
        .containsAll(failed.stream().map(GreenHelixStandIn.Call::idempotencyKey).toList());
    assertThat(greenHelix.violations()).isEmpty();
  }

  @Test
  void aRolledBackChangeSendsNothing() throws Exception {
    GreenHelixStandIn greenHelix = GreenHelixTestResource.standIn();
    String agent = "bot-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    try {
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                outbox.enqueue(
                    agent, "submit_metrics", Map.of("agent_id", agent, "metrics", Map.of("x", 1)));
                throw new IllegalStateException("the change fails");
              });
    } catch (IllegalStateException expected) {
      // the transaction rolled back
    }
    Thread.sleep(1000);

    assertThat(delivered(greenHelix, agent)).isEmpty();
  }

  private static List<GreenHelixStandIn.Call> delivered(
      GreenHelixStandIn greenHelix, String agent) {
    return greenHelix.accepted("submit_metrics").stream()
        .filter(c -> agent.equals(c.input().path("agent_id").asText()))
        .toList();
  }
}
