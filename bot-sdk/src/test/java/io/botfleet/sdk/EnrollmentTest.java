package io.botfleet.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.sdk.fake.FakeControlPlane;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.KeyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollmentTest {

  @TempDir Path dir;
  FakeControlPlane plane;
  final RecordingBot bot = new RecordingBot();

  @BeforeEach
  void start() throws Exception {
    plane = FakeControlPlane.inProcess();
  }

  @AfterEach
  void stop() throws Exception {
    plane.close();
  }

  @Test
  void enrollmentWritesAnOwnerOnlyKeyFileWithTheEnrolledIdentity() throws Exception {
    Path keyFile = dir.resolve("keys/spot-arb-01.key");
    try (BotfleetClient client =
        TestClients.enrolling(plane, bot, keyFile, "spot-arb-01").build()) {
      client.start();

      String agentId = plane.agentIdOf("spot-arb-01");
      assertThat(agentId).startsWith("bot-");
      assertThat(client.agentId()).isEqualTo(agentId);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
          .isEqualTo("rw-------");
      Credentials written = KeyFile.read(keyFile);
      assertThat(written.agentId()).isEqualTo(agentId);
      assertThat(written.keyVersion()).isEqualTo(1);
      // The key on disk is the one identity-service holds: the private key never left the bot.
      assertThat(written.key().publicKey()).isEqualTo(plane.publicKey(agentId, 1));
      assertThat(dir.resolve("keys/.spot-arb-01.key.enrolling")).doesNotExist();
      await().until(() -> !plane.heartbeats(agentId).isEmpty());
    }
  }

  @Test
  void aSecondStartReadsTheKeyFileAndDoesNotEnrollAgain() throws Exception {
    Path keyFile = dir.resolve("bot.key");
    try (BotfleetClient first =
        TestClients.enrolling(plane, bot, keyFile, "perp-momentum-01").build()) {
      first.start();
    }
    String agentId = plane.agentIdOf("perp-momentum-01");

    try (BotfleetClient second =
        TestClients.base(plane, bot)
            .keyFile(keyFile)
            .enrollment("perp-momentum-01", "bfe_already-used")
            .build()) {
      second.start();
      assertThat(second.agentId()).isEqualTo(agentId);
      await().until(() -> plane.commandStreamOpen(agentId));
    }
    long enrollments =
        plane.calls().stream()
            .filter(
                c ->
                    c.method().equals(IdentityServiceGrpc.getEnrollBotMethod().getFullMethodName()))
            .count();
    assertThat(enrollments).isEqualTo(1);
  }

  @Test
  void aRefusedTokenFailsTheStartAndWritesNoKeyFile() throws Exception {
    Path keyFile = dir.resolve("bot.key");
    try (BotfleetClient client =
        TestClients.base(plane, bot)
            .keyFile(keyFile)
            .enrollment("options-mm-01", "bfe_forged")
            .build()) {
      assertThatThrownBy(client::start)
          .isInstanceOf(EnrollmentException.class)
          .hasMessageContaining("PERMISSION_DENIED");
    }
    assertThat(keyFile).doesNotExist();
  }

  @Test
  void aTokenForAnotherNameIsRefused() throws Exception {
    String token = plane.issueToken("options-mm-02");
    try (BotfleetClient client =
        TestClients.base(plane, bot)
            .keyFile(dir.resolve("bot.key"))
            .enrollment("options-mm-03", token)
            .build()) {
      assertThatThrownBy(client::start).isInstanceOf(EnrollmentException.class);
    }
  }

  @Test
  void enrollmentWaitsForAnUnreachableIdentityServiceAndRetriesWithTheSameKey() throws Exception {
    Path keyFile = dir.resolve("bot.key");
    plane.unavailable(true);
    try (BotfleetClient client =
        TestClients.enrolling(plane, bot, keyFile, "spot-arb-02")
            .enrollTimeout(Duration.ofSeconds(20))
            .build()) {
      Thread starter =
          new Thread(
              () -> {
                try {
                  client.start();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      starter.start();
      // The key is kept before the first attempt, so a lost answer is retried with it.
      await().until(() -> Files.exists(dir.resolve(".bot.key.enrolling")));
      var pending = KeyFile.read(dir.resolve(".bot.key.enrolling")).key().publicKey();
      plane.unavailable(false);
      starter.join(20_000);

      String agentId = plane.agentIdOf("spot-arb-02");
      assertThat(plane.publicKey(agentId, 1)).isEqualTo(pending);
      assertThat(KeyFile.read(keyFile).key().publicKey()).isEqualTo(pending);
    }
  }

  @Test
  void withoutKeyFileOrTokenTheStartSaysWhatIsMissing() throws Exception {
    try (BotfleetClient client =
        TestClients.base(plane, bot).keyFile(dir.resolve("missing.key")).build()) {
      assertThatThrownBy(client::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("missing.key does not exist");
    }
  }

  @Test
  void theBuilderNamesWhatIsMissing() {
    assertThatThrownBy(() -> BotfleetClient.builder().endpoints(Endpoints.localhost()).build())
        .hasMessageContaining("keyFile, credentials or an enrollment token");
    assertThatThrownBy(
            () ->
                BotfleetClient.builder()
                    .endpoints(Endpoints.localhost())
                    .keyFile(dir.resolve("k"))
                    .metrics(bot)
                    .commandHandler(bot)
                    .build())
        .hasMessage("safeModeListener is required");
    assertThatThrownBy(
            () ->
                Endpoints.of("fleet:8080", "http://a:1", "http://a:2", "http://a:3", "http://a:4"))
        .hasMessageContaining("fleet endpoint must be http://host:port");
    assertThatThrownBy(
            () -> Endpoints.of("http://a:1", "http://a:2", "ftp://a:3", "http://a:4", "http://a:5"))
        .hasMessageContaining("permission endpoint must be http://host:port");
    assertThat(Endpoints.localhost().permission()).hasToString("http://127.0.0.1:8082");
  }
}
