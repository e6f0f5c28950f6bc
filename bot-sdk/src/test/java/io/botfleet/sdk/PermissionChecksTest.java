package io.botfleet.sdk;

import static io.botfleet.fleet.v1.AckState.ACK_STATE_ACCEPTED;
import static io.botfleet.fleet.v1.AckState.ACK_STATE_DONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.botfleet.permission.v1.PermissionServiceGrpc;
import io.botfleet.permission.v1.StreamPermissionChecksRequest;
import io.botfleet.permission.v1.StreamPermissionChecksResponse;
import io.botfleet.sdk.fake.CallRecord;
import io.botfleet.sdk.fake.FakeCommand;
import io.botfleet.sdk.fake.FakeControlPlane;
import io.botfleet.sdk.fake.FakePermissionService;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Permission checks over the client's check stream, against the fake permission-service on a local
 * port: decisions pass through, answers are matched by check_id, malformed checks name their
 * fields, and every failure denies (fails closed) instead of allowing or throwing.
 */
class PermissionChecksTest {

  private static final String STREAM =
      PermissionServiceGrpc.getStreamPermissionChecksMethod().getFullMethodName();
  private static final Duration WAIT = Duration.ofSeconds(5);

  @TempDir Path dir;
  FakeControlPlane plane;
  FakePermissionService permissions;
  final RecordingBot bot = new RecordingBot();
  BotfleetClient client;
  PermissionChecks checks;
  String agentId;

  @BeforeEach
  void start() throws Exception {
    plane = FakeControlPlane.onLocalPort();
    permissions = plane.permissions();
    client = client(Duration.ofSeconds(5));
    client.start();
    agentId = client.agentId();
    checks = client.permissions();
    permissions.grant(agentId, "place_order", "cancel_order", "read_positions");
    permissions.maxOrderSizeUsd(agentId, "5000");
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    plane.close();
  }

  @Test
  void allowedAndDeniedDecisionsPassThroughWithTheirRuleAndReason() {
    PermissionDecision allowed = checks.checkAndWait("place_order", order("1000"), WAIT);
    PermissionDecision tooLarge = checks.checkAndWait("place_order", order("6000"), WAIT);
    PermissionDecision notGranted =
        checks.checkAndWait("withdraw_funds", PermissionContext.NONE, WAIT);

    assertThat(allowed).isEqualTo(new PermissionDecision(true, true, "ALLOWED", "allowed"));
    assertThat(tooLarge)
        .isEqualTo(
            new PermissionDecision(
                false, true, "MAX_ORDER_SIZE", "order 6000 USD exceeds max_order_size_usd 5000"));
    assertThat(notGranted.allowed()).isFalse();
    assertThat(notGranted.decided()).isTrue();
    assertThat(notGranted.rule()).isEqualTo("TIER");

    permissions.paused(agentId, true);
    PermissionDecision paused = checks.check("place_order", order("10")).join();
    assertThat(paused.allowed()).isFalse();
    assertThat(paused.rule()).isEqualTo("SUSPENDED_PAUSED");
    // All on one stream, opened by the first check and signed once.
    assertThat(streamOpens())
        .singleElement()
        .satisfies(open -> assertThat(open.verified()).isTrue());
  }

  @Test
  void manyConcurrentChecksAreEachMatchedToTheirOwnAnswer() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<CompletableFuture<PermissionDecision>>> sent = new ArrayList<>();
      for (int size = 1; size <= 800; size++) {
        String usd = Integer.toString(size * 10);
        sent.add(
            CompletableFuture.supplyAsync(() -> checks.check("place_order", order(usd)), threads));
      }
      for (int size = 1; size <= 800; size++) {
        PermissionDecision decision = sent.get(size - 1).join().get(10, TimeUnit.SECONDS);
        int usd = size * 10;
        assertThat(decision.decided()).isTrue();
        assertThat(decision.allowed()).as("order of %d USD", usd).isEqualTo(usd <= 5000);
        if (usd > 5000) {
          assertThat(decision.reason()).startsWith("order " + usd + " USD exceeds");
        }
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(streamOpens()).hasSize(1);
  }

  @Test
  void aMalformedCheckFailsNamingItsFieldsAndTheStreamStaysOpen() {
    PermissionContext negative =
        PermissionContext.builder()
            .exchange("binance")
            .orderSizeUsd(new BigDecimal("-5"))
            .positionAfterUsd(new BigDecimal("-1"))
            .build();

    assertThatThrownBy(() -> checks.checkAndWait("place_order", negative, WAIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "malformed permission check of place_order: context.order_size_usd: must not be"
                + " negative, got -5; context.position_after_usd: must not be negative, got -1");
    assertThatThrownBy(() -> checks.check("", PermissionContext.NONE).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("action: is required");

    assertThat(checks.checkAndWait("place_order", order("10"), WAIT).allowed()).isTrue();
    assertThat(streamOpens()).hasSize(1);
  }

  @Test
  void checksWaitingWhenTheServerCutsTheStreamAreDeniedAtOnceAndTheNextCheckReconnects() {
    assertThat(checks.checkAndWait("place_order", order("10"), WAIT).allowed()).isTrue();
    permissions.silent(true);
    List<CompletableFuture<PermissionDecision>> waiting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiting.add(checks.check("place_order", order("10"), Duration.ofMinutes(5)));
    }
    await().until(() -> permissions.checksReceived(agentId) == 4);
    assertThat(waiting).noneMatch(CompletableFuture::isDone);

    permissions.dropStreams();

    for (CompletableFuture<PermissionDecision> answer : waiting) {
      PermissionDecision denied = answer.join();
      assertThat(denied.allowed()).isFalse();
      assertThat(denied.decided()).isFalse();
      assertThat(denied.rule()).isEqualTo(PermissionDecision.UNAVAILABLE);
      assertThat(denied.reason())
          .isEqualTo("permission check stream down: UNAVAILABLE (dropped by the test)");
    }
    permissions.silent(false);
    // The next check reopens the stream (at once, or after the backoff: denied meanwhile).
    await().until(() -> checks.checkAndWait("place_order", order("10"), WAIT).decided());
    assertThat(streamOpens()).hasSize(2).allMatch(CallRecord::verified);
    assertThat(checks.up()).isTrue();
    // Only the check stream broke: it counts among the client's reconnections.
    assertThat(client.status().reconnects()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aCheckWithoutAnswerIsDeniedAfterItsTimeoutAndTheSilentStreamIsRestarted() {
    assertThat(checks.checkAndWait("place_order", order("10"), WAIT).allowed()).isTrue();
    permissions.silent(true);

    PermissionDecision timedOut =
        checks.check("place_order", order("10"), Duration.ofMillis(200)).join();

    assertThat(timedOut)
        .isEqualTo(
            new PermissionDecision(
                false,
                false,
                PermissionDecision.TIMEOUT,
                "no answer from permission-service in 200 ms"));
    // Nothing came back since that check was sent: the stream is taken for dead and restarted.
    await().until(() -> !permissions.streamOpen(agentId));
    // Waiting for the answer ends at the timeout too (once the stream is reopened after its
    // backoff; meanwhile checks are denied as unavailable).
    await()
        .until(
            () ->
                checks
                    .checkAndWait("place_order", order("10"), Duration.ofMillis(200))
                    .rule()
                    .equals(PermissionDecision.TIMEOUT));
    permissions.silent(false);
    await().until(() -> checks.checkAndWait("place_order", order("10"), WAIT).decided());
    assertThat(streamOpens().size()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void checksBeyondTheInFlightCapAreDeniedRatherThanQueued() {
    permissions.silent(true);
    List<CompletableFuture<PermissionDecision>> waiting = new ArrayList<>();
    for (int i = 0; i < PermissionChecks.MAX_IN_FLIGHT; i++) {
      waiting.add(checks.check("place_order", order("10"), Duration.ofMinutes(5)));
    }

    PermissionDecision refused = checks.check("place_order", order("10")).join();

    assertThat(refused.allowed()).isFalse();
    assertThat(refused.decided()).isFalse();
    assertThat(refused.rule()).isEqualTo(PermissionDecision.TOO_MANY_IN_FLIGHT);
    assertThat(waiting).noneMatch(CompletableFuture::isDone);
  }

  @Test
  void theStreamIsSignedByTheBotAndAnUnsignedOneIsRefused() throws Exception {
    assertThat(checks.checkAndWait("read_positions", PermissionContext.NONE, WAIT).allowed())
        .isTrue();
    assertThat(streamOpens())
        .singleElement()
        .satisfies(
            open -> {
              assertThat(open.agentId()).isEqualTo(agentId);
              assertThat(open.keyVersion()).isEqualTo(1);
              assertThat(open.verified()).isTrue();
            });

    ManagedChannel unsigned =
        ManagedChannelBuilder.forTarget(Endpoints.target(plane.endpoints().permission()))
            .usePlaintext()
            .build();
    try {
      CompletableFuture<Status> ended = new CompletableFuture<>();
      StreamObserver<StreamPermissionChecksRequest> requests =
          PermissionServiceGrpc.newStub(unsigned)
              .streamPermissionChecks(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(StreamPermissionChecksResponse response) {
                      ended.completeExceptionally(new AssertionError("answered: " + response));
                    }

                    @Override
                    public void onError(Throwable error) {
                      ended.complete(Status.fromThrowable(error));
                    }

                    @Override
                    public void onCompleted() {
                      ended.complete(Status.OK);
                    }
                  });
      requests.onNext(
          StreamPermissionChecksRequest.newBuilder().setCheckId(1).setAction("withdraw").build());
      assertThat(ended.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    } finally {
      unsigned.shutdownNow();
    }
    assertThat(plane.refusals()).extracting(CallRecord::method).containsExactly(STREAM);
  }

  @Test
  void closingTheClientEndsTheStreamAndDeniesWaitingAndLaterChecks() throws Exception {
    try (BotfleetClient notStarted = client(Duration.ofSeconds(5))) {
      PermissionDecision early = notStarted.permissions().check("place_order", order("1")).join();
      assertThat(early.decided()).isFalse();
      assertThat(early.rule()).isEqualTo(PermissionDecision.NOT_RUNNING);
      assertThat(early.reason()).isEqualTo("the client is NEW");
    }
    assertThat(checks.checkAndWait("place_order", order("10"), WAIT).allowed()).isTrue();
    assertThat(permissions.streamOpen(agentId)).isTrue();
    permissions.silent(true);
    CompletableFuture<PermissionDecision> waiting =
        checks.check("place_order", order("10"), Duration.ofMinutes(5));
    await().until(() -> permissions.checksReceived(agentId) == 2);

    client.close();

    assertThat(waiting.join().rule()).isEqualTo(PermissionDecision.NOT_RUNNING);
    assertThat(waiting.join().allowed()).isFalse();
    await().until(() -> !permissions.streamOpen(agentId));
    PermissionDecision after = checks.checkAndWait("place_order", order("10"), WAIT);
    assertThat(after.rule()).isEqualTo(PermissionDecision.NOT_RUNNING);
    assertThat(checks.up()).isFalse();
  }

  @Test
  void aKeyRotationLeavesTheCheckStreamOpenAndAReopenedOneIsSignedWithTheNewKey() throws Exception {
    // A call timeout far beyond the wait below: a rotation that waited for the check stream to end
    // (as it waits for short calls signed with the old key) would not settle in time.
    client.close();
    client = client(Duration.ofMinutes(2));
    client.start();
    checks = client.permissions();
    await().until(() -> plane.commandStreamOpen(agentId));
    assertThat(checks.checkAndWait("place_order", order("10"), WAIT).allowed()).isTrue();

    String rotationId = plane.beginRotation(agentId);
    FakeCommand rotate = plane.send(agentId, "rotate_key", Map.of("rotation_id", rotationId));
    await().atMost(Duration.ofSeconds(30)).until(rotate::settled);

    assertThat(rotate.ackStates()).containsExactly(ACK_STATE_ACCEPTED, ACK_STATE_DONE);
    assertThat(plane.keyVersions(agentId))
        .containsExactly(Map.entry(1, "RETIRED"), Map.entry(2, "CURRENT"));
    // Still the stream opened with key 1: verified once, it stays valid.
    assertThat(checks.checkAndWait("place_order", order("10"), WAIT).allowed()).isTrue();
    assertThat(streamOpens()).extracting(CallRecord::keyVersion).containsExactly(1);

    permissions.dropStreams();
    await().until(() -> checks.checkAndWait("place_order", order("10"), WAIT).decided());
    assertThat(streamOpens()).extracting(CallRecord::keyVersion).containsExactly(1, 2);
    assertThat(plane.refusals()).isEmpty();
  }

  private BotfleetClient client(Duration callTimeout) {
    // A dead-man time well beyond the test: safe mode is not what these tests look at.
    return TestClients.enrollingOverNetwork(plane, bot, dir.resolve("bot.key"), "spot-arb-01")
        .deadManAfter(Duration.ofSeconds(30))
        .callTimeout(callTimeout)
        .build();
  }

  private List<CallRecord> streamOpens() {
    return plane.calls().stream().filter(call -> call.method().equals(STREAM)).toList();
  }

  private static PermissionContext order(String usd) {
    return PermissionContext.builder()
        .exchange("binance")
        .pair("BTC/USDT")
        .orderSizeUsd(new BigDecimal(usd))
        .positionAfterUsd(new BigDecimal(usd))
        .build();
  }
}
