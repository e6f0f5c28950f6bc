package io.botfleet.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.billing.v1.BillingServiceGrpc;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.sdk.fake.CallRecord;
import io.botfleet.sdk.fake.FakeCommand;
import io.botfleet.sdk.fake.FakeControlPlane;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every call the SDK makes, to every service, is signed by the bot and verifies with the services'
 * own verifier; only EnrollBot (public: the token is the credential) goes unsigned.
 */
class RequestSigningTest {

  @TempDir Path dir;
  FakeControlPlane plane;
  final RecordingBot bot = new RecordingBot();
  BotfleetClient client;

  @BeforeEach
  void start() throws Exception {
    plane = FakeControlPlane.inProcess();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    plane.close();
  }

  @Test
  void everyCallIsSignedByTheBotAndVerifies() throws Exception {
    client = TestClients.enrolling(plane, bot, dir.resolve("bot.key"), "options-mm-04").build();
    client.start();
    String agentId = client.agentId();
    client.recordFill(fill("f-1"));
    FakeCommand rotate =
        plane.send(agentId, "rotate_key", Map.of("rotation_id", plane.beginRotation(agentId)));
    await().until(() -> rotate.settled() && plane.fills(agentId).size() == 1);
    plane.dropStreams();
    await().until(() -> plane.commandStreamOpen(agentId));

    Set<String> methods =
        plane.calls().stream().map(CallRecord::method).collect(Collectors.toSet());
    assertThat(methods)
        .contains(
            IdentityServiceGrpc.getEnrollBotMethod().getFullMethodName(),
            IdentityServiceGrpc.getRegisterRotatedKeyMethod().getFullMethodName(),
            IdentityServiceGrpc.getCompleteKeyRotationMethod().getFullMethodName(),
            FleetServiceGrpc.getStreamCommandsMethod().getFullMethodName(),
            FleetHealthServiceGrpc.getStreamHeartbeatsMethod().getFullMethodName(),
            BillingServiceGrpc.getReportFillsMethod().getFullMethodName());
    assertThat(plane.refusals()).isEmpty();
    for (CallRecord call : plane.calls()) {
      if (call.method().equals(IdentityServiceGrpc.getEnrollBotMethod().getFullMethodName())) {
        assertThat(call.agentId()).isEmpty();
      } else {
        assertThat(call.agentId()).as(call.method()).isEqualTo(agentId);
        assertThat(call.keyVersion()).isBetween(1, 2);
      }
    }
  }

  @Test
  void aBotWithForeignCredentialsIsRefusedAndKeepsRetrying() throws Exception {
    // Credentials the control plane never enrolled: every stream is refused UNAUTHENTICATED.
    client =
        TestClients.base(plane, bot)
            .credentials(
                new io.botfleet.signing.Credentials(
                    "bot-0000000000000000", 1, io.botfleet.signing.SigningKey.generate()))
            .build();
    client.start();

    await().until(() -> plane.refusals().size() >= 4);
    assertThat(plane.refusals())
        .allSatisfy(call -> assertThat(call.refusal()).contains("unknown agent"));
    assertThat(client.status().commandStreamUp()).isFalse();
  }

  static Fill fill(String id) {
    return new Fill(
        id,
        "deribit",
        "BTC-27DEC26-80000-C",
        Fill.Side.SELL,
        new BigDecimal("0.5"),
        new BigDecimal("0.0425"),
        new BigDecimal("0.0003"),
        "BTC",
        new BigDecimal("19.20"),
        Instant.now(),
        new BigDecimal("12.5"));
  }
}
