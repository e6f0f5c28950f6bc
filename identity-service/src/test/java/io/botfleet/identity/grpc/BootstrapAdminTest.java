package io.botfleet.identity.grpc;

import static io.botfleet.devkit.StatusDetails.badRequestFields;
import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.identity.IdentityTestSupport;
import io.botfleet.identity.config.IdentityConfig;
import io.botfleet.identity.domain.OneTimeTokens;
import io.botfleet.identity.domain.ProofOfPossession;
import io.botfleet.identity.service.BootstrapService;
import io.botfleet.identity.v1.BootstrapAdminRequest;
import io.botfleet.identity.v1.CreateEnrollmentTokenRequest;
import io.botfleet.identity.v1.Identity;
import io.botfleet.identity.v1.IdentityStatus;
import io.botfleet.identity.v1.RevokeIdentityRequest;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.SigningKey;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The way into a fresh installation: a one-time token in a file only the service user can read.
 * Every test starts as a fresh installation (no live administrator; each revokes the one it made)
 * and calls {@link BootstrapService#open()}, which is what a start does.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class BootstrapAdminTest extends IdentityTestSupport {

  @Inject KeyCache keyCache;
  @Inject BootstrapService bootstrap;
  @Inject IdentityConfig config;
  @Inject EntityManager entityManager;

  private String made;

  @AfterEach
  void revokeTheAdministratorThisTestMade() {
    if (made != null) {
      identity(admin(keyCache))
          .revokeIdentity(
              RevokeIdentityRequest.newBuilder().setAgentId(made).setReason("test over").build());
      made = null;
    }
  }

  @Test
  void aFreshInstallationWritesAOneTimeTokenThatOnlyTheServiceUserCanRead() throws IOException {
    assertThat(bootstrap.open()).isTrue();

    Path file = file();
    String token = Files.readString(file).trim();
    assertThat(token).matches("bfb_[A-Za-z0-9_-]{43}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    List<Object> stored = query(entityManager, "select token_hash from bootstrap_tokens", Map.of());
    assertThat(stored).contains(OneTimeTokens.hashHex(token)).doesNotContain(token);
  }

  @Test
  void aRestartReplacesTheTokenAndTheOldOneNoLongerWorks() throws IOException {
    bootstrap.open();
    String before = Files.readString(file()).trim();
    bootstrap.open();
    String after = Files.readString(file()).trim();
    SigningKey key = SigningKey.generate();

    StatusRuntimeException e =
        failure(() -> anonymous().bootstrapAdmin(request(before, "root", key)));

    assertThat(after).isNotEqualTo(before);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(errorInfo(e).getReason()).isEqualTo("BOOTSTRAP_TOKEN_INVALID");
  }

  @Test
  void theFirstAdministratorBootstrapsOnceAndTheFileIsGone() throws IOException {
    bootstrap.open();
    String token = Files.readString(file()).trim();
    SigningKey key = SigningKey.generate();

    Identity admin = anonymous().bootstrapAdmin(request(token, unique("root"), key)).getIdentity();
    made = admin.getId();

    assertThat(admin.getKind()).isEqualTo(PrincipalKind.PRINCIPAL_KIND_OPERATOR);
    assertThat(admin.getOperatorRole()).isEqualTo(OperatorRole.OPERATOR_ROLE_ADMIN);
    assertThat(admin.getStatus()).isEqualTo(IdentityStatus.IDENTITY_STATUS_ACTIVE);
    assertThat(admin.getPublicKey()).isEqualTo(key.publicKey().base64());
    assertThat(file()).doesNotExist();
    assertThat(query(entityManager, "select token_hash from bootstrap_tokens", Map.of())).isEmpty();
    StatusRuntimeException again =
        failure(() -> anonymous().bootstrapAdmin(request(token, "second", SigningKey.generate())));
    assertThat(again.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(errorInfo(again).getReason()).isEqualTo("BOOTSTRAP_DONE");
    assertThat(bootstrap.open()).isFalse();
    assertThat(file()).doesNotExist();
    assertThat(eventCount(keyCache, admin.getId(), "fleet.admin_bootstrapped")).isEqualTo(1);

    await().atMost(Duration.ofSeconds(5)).until(() -> keyCache.find(admin.getId(), 1).isPresent());
    Bot asAdmin = new Bot(admin, new Credentials(admin.getId(), 1, key));
    String pending =
        identity(admin(keyCache))
            .registerAgent(botRequest(unique("first")).build())
            .getIdentity()
            .getId();
    assertThat(
            asAdmin
                .stub()
                .createEnrollmentToken(
                    CreateEnrollmentTokenRequest.newBuilder().setAgentId(pending).build())
                .getToken())
        .startsWith("bfe_");
  }

  @Test
  void badInputIsRefusedAndTheTokenStaysUsable() throws IOException {
    bootstrap.open();
    String token = Files.readString(file()).trim();
    SigningKey key = SigningKey.generate();
    BootstrapAdminRequest good = request(token, unique("root"), key);

    StatusRuntimeException forged =
        failure(
            () ->
                anonymous()
                    .bootstrapAdmin(
                        good.toBuilder()
                            .setChallengeSignature(
                                request(token, good.getName(), SigningKey.generate())
                                    .getChallengeSignature())
                            .build()));
    StatusRuntimeException badKey =
        failure(() -> anonymous().bootstrapAdmin(good.toBuilder().setPublicKey("AAAA").build()));
    StatusRuntimeException badName =
        failure(() -> anonymous().bootstrapAdmin(good.toBuilder().setName("Root!").build()));
    StatusRuntimeException malformedToken =
        failure(() -> anonymous().bootstrapAdmin(good.toBuilder().setBootstrapToken("x").build()));

    assertThat(badRequestFields(forged)).containsExactly("challenge_signature");
    assertThat(badRequestFields(badKey)).containsExactly("public_key");
    assertThat(badRequestFields(badName)).containsExactly("name");
    assertThat(badRequestFields(malformedToken)).containsExactly("bootstrap_token");
    assertThat(file()).exists();
    made = anonymous().bootstrapAdmin(good).getIdentity().getId();
  }

  @Test
  void revokingTheLastAdministratorReopensBootstrapAtTheNextStart() throws IOException {
    bootstrap.open();
    made =
        anonymous()
            .bootstrapAdmin(
                request(Files.readString(file()).trim(), unique("root"), SigningKey.generate()))
            .getIdentity()
            .getId();
    assertThat(bootstrap.open()).isFalse();

    revokeTheAdministratorThisTestMade();

    assertThat(bootstrap.open()).isTrue();
    assertThat(file()).exists();
  }

  private Path file() {
    return config.bootstrapTokenFile().toAbsolutePath();
  }

  private static BootstrapAdminRequest request(String token, String name, SigningKey key) {
    String publicKey = key.publicKey().base64();
    return BootstrapAdminRequest.newBuilder()
        .setBootstrapToken(token)
        .setName(name)
        .setOrganization("acme")
        .setPublicKey(publicKey)
        .setChallengeSignature(
            EnrollmentTest.sign(key, ProofOfPossession.enrollment(name, publicKey, token)))
        .build();
  }
}
