package io.botfleet.sdk;

import static io.botfleet.fleet.v1.AckState.ACK_STATE_ACCEPTED;
import static io.botfleet.fleet.v1.AckState.ACK_STATE_DONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.billing.v1.BillingServiceGrpc;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.sdk.fake.CallRecord;
import io.botfleet.sdk.fake.FakeCommand;
import io.botfleet.sdk.fake.FakeControlPlane;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.KeyFile;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRotationTest {

  @TempDir Path dir;
  FakeControlPlane plane;
  final RecordingBot bot = new RecordingBot();
  BotfleetClient client;
  String agentId;
  Path keyFile;

  @BeforeEach
  void start() throws Exception {
    plane = FakeControlPlane.inProcess();
    keyFile = dir.resolve("bot.key");
    client = TestClients.enrolling(plane, bot, keyFile, "perp-momentum-03").build();
    client.start();
    agentId = client.agentId();
    await().until(() -> plane.commandStreamOpen(agentId) && !plane.heartbeats(agentId).isEmpty());
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    plane.close();
  }

  @Test
  void rotationUnderContinuousLoadSwitchesKeysWithoutOneRefusedCall() throws Exception {
    Credentials before = KeyFile.read(keyFile);
    // Fill reports take 100 ms to reach verification: some signed with the old key are always
    // on their way when the bot switches keys.
    plane.verificationDelay(BillingServiceGrpc.SERVICE_NAME, Duration.ofMillis(100));
    AtomicBoolean loading = new AtomicBoolean(true);
    AtomicInteger reports = new AtomicInteger();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    // Signed calls all the time: fill reports (short streams) back to back, on two threads.
    List<CompletableFuture<Void>> load =
        List.of(
            CompletableFuture.runAsync(() -> report(loading, reports, failures)),
            CompletableFuture.runAsync(() -> report(loading, reports, failures)),
            CompletableFuture.runAsync(() -> report(loading, reports, failures)));
    await().until(() -> reports.get() > 5);

    String rotationId = plane.beginRotation(agentId);
    FakeCommand rotate = plane.send(agentId, "rotate_key", Map.of("rotation_id", rotationId));
    await().until(rotate::settled);
    // The streams are reopened (signed with the new key) and load goes on after the switch.
    int after = reports.get();
    plane.dropStreams();
    await().until(() -> reports.get() > after + 5 && plane.commandStreamOpen(agentId));
    loading.set(false);
    CompletableFuture.allOf(load.toArray(CompletableFuture[]::new)).join();

    assertThat(rotate.ackStates()).containsExactly(ACK_STATE_ACCEPTED, ACK_STATE_DONE);
    assertThat(failures).isEmpty();
    assertThat(plane.refusals()).isEmpty();
    assertThat(plane.keyVersions(agentId))
        .containsExactly(Map.entry(1, "RETIRED"), Map.entry(2, "CURRENT"));

    Credentials now = KeyFile.read(keyFile);
    assertThat(now.agentId()).isEqualTo(agentId);
    assertThat(now.keyVersion()).isEqualTo(2);
    assertThat(now.key().publicKey()).isEqualTo(plane.publicKey(agentId, 2));
    assertThat(now.key().publicKey()).isNotEqualTo(before.key().publicKey());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    assertThat(bot.rotations)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.oldKeyVersion()).isEqualTo(1);
              assertThat(event.newKeyVersion()).isEqualTo(2);
            });
    assertThat(client.status().keyVersion()).isEqualTo(2);

    // The registration was signed with the old key, the confirmation with the new one, and
    // every call after the switch uses version 2.
    assertThat(signer(IdentityServiceGrpc.getRegisterRotatedKeyMethod().getFullMethodName()))
        .isEqualTo(1);
    assertThat(signer(IdentityServiceGrpc.getCompleteKeyRotationMethod().getFullMethodName()))
        .isEqualTo(2);
    List<CallRecord> calls = plane.calls();
    CallRecord last = calls.get(calls.size() - 1);
    assertThat(last.keyVersion()).isEqualTo(2);
    assertThat(dir.toFile().list()).containsExactlyInAnyOrder("bot.key", "bot.key.journal");
  }

  @Test
  void aRotationInterruptedBeforeRegistrationIsResumedWithTheKeyItMade() throws Exception {
    String rotationId = plane.beginRotation(agentId);
    // A crash after the new key was written but before RegisterRotatedKey was sent.
    var pending = io.botfleet.signing.SigningKey.generate();
    KeyFile.write(
        dir.resolve(".bot.key.rotation-" + rotationId), new Credentials(agentId, 2, pending));

    FakeCommand rotate = plane.send(agentId, "rotate_key", Map.of("rotation_id", rotationId));
    await().until(rotate::settled);

    assertThat(rotate.lastState()).isEqualTo(ACK_STATE_DONE);
    assertThat(plane.publicKey(agentId, 2)).isEqualTo(pending.publicKey());
    assertThat(KeyFile.read(keyFile).key().publicKey()).isEqualTo(pending.publicKey());
    assertThat(dir.resolve(".bot.key.rotation-" + rotationId)).doesNotExist();
  }

  @Test
  void aRotateKeyWithoutRotationIdIsRejected() {
    FakeCommand rotate = plane.send(agentId, "rotate_key", Map.of("reason", "scheduled"));
    await().until(rotate::settled);
    assertThat(rotate.acks().get(0).getMessage())
        .isEqualTo("rotate_key: payload.rotation_id is required");
    assertThat(plane.keyVersions(agentId)).containsExactly(Map.entry(1, "CURRENT"));
  }

  private int signer(String method) {
    return plane.calls().stream()
        .filter(call -> call.method().equals(method))
        .mapToInt(CallRecord::keyVersion)
        .findFirst()
        .orElseThrow();
  }

  private void report(AtomicBoolean loading, AtomicInteger reports, List<Throwable> failures) {
    int n = 0;
    while (loading.get()) {
      Fill fill =
          new Fill(
              Thread.currentThread().getId() + "-" + n++,
              "binance",
              "BTC/USDT",
              Fill.Side.BUY,
              new BigDecimal("0.01"),
              new BigDecimal("64000"),
              new BigDecimal("0.64"),
              "USDT",
              null,
              Instant.now(),
              null);
      try {
        FillReport report = client.reportFills(List.of(fill)).join();
        assertThat(report.accepted()).isEqualTo(1);
        reports.incrementAndGet();
      } catch (Throwable e) {
        failures.add(e);
        return;
      }
    }
  }
}
