package io.botfleet.identity.grpc;

import static io.botfleet.devkit.StatusDetails.badRequestFields;
import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Duration;
import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.devkit.GreenHelixStandIn;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.identity.IdentityTestSupport;
import io.botfleet.identity.domain.OneTimeTokens;
import io.botfleet.identity.domain.ProofOfPossession;
import io.botfleet.identity.v1.CreateEnrollmentTokenRequest;
import io.botfleet.identity.v1.CreateEnrollmentTokenResponse;
import io.botfleet.identity.v1.EnrollBotRequest;
import io.botfleet.identity.v1.EnrollBotWithGeneratedKeyRequest;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.Identity;
import io.botfleet.identity.v1.IdentityStatus;
import io.botfleet.identity.v1.ListIdentitiesRequest;
import io.botfleet.identity.v1.RegisterAgentRequest;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.SigningKey;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Enrollment: a one-time token from an administrator, the bot's own public key and its proof of
 * possession. A used, expired, foreign or unknown token is refused and changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class EnrollmentTest extends IdentityTestSupport {

  @Inject KeyCache keyCache;
  @Inject EntityManager entityManager;

  @Test
  void aBotEnrollsTheKeyItMadeWithAOneTimeTokenAndThenAuthenticatesWithIt() {
    Identity pending = registerPending(unique("enroll"));
    CreateEnrollmentTokenResponse issued = issue(pending);
    SigningKey key = SigningKey.generate();

    Identity enrolled =
        anonymous().enrollBot(enrollment(issued.getToken(), pending, key)).getIdentity();

    assertThat(issued.getToken()).matches("bfe_[A-Za-z0-9_-]{43}");
    assertThat(issued.getName()).isEqualTo(pending.getName());
    assertThat(issued.getGroup()).isEqualTo("spot-arb");
    assertThat(issued.getExpireTime().getSeconds())
        .isBetween(
            Instant.now().plusSeconds(3500).getEpochSecond(),
            Instant.now().plusSeconds(3700).getEpochSecond());
    assertThat(enrolled.getStatus()).isEqualTo(IdentityStatus.IDENTITY_STATUS_ACTIVE);
    assertThat(enrolled.getKeyVersion()).isEqualTo(1);
    assertThat(enrolled.getPublicKey()).isEqualTo(key.publicKey().base64());
    assertThat(enrolled.getNextRotationTime().getSeconds())
        .isBetween(
            Instant.now().plus(java.time.Duration.ofDays(30)).getEpochSecond() - 60,
            Instant.now().plus(java.time.Duration.ofDays(30)).getEpochSecond() + 60);
    await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> keyCache.find(pending.getId(), 1).isPresent());
    Bot bot = new Bot(enrolled, new Credentials(enrolled.getId(), 1, key));
    assertThat(bot.stub().getIdentity(get(pending.getId())).getIdentity().getId())
        .isEqualTo(pending.getId());
    assertThat(eventCount(keyCache, pending.getId(), "fleet.identity_enrolled")).isEqualTo(1);
  }

  @Test
  void aBotIsRegisteredWithGreenHelixWhenItEnrollsItsKeyAndKeepsGreenHelixsAgentId() {
    GreenHelixStandIn greenHelix = GreenHelixTestResource.standIn();
    Identity pending = registerPending(unique("gh-enroll"));
    assertThat(registered(greenHelix, pending.getName())).isEmpty();
    SigningKey key = SigningKey.generate();

    anonymous().enrollBot(enrollment(issue(pending).getToken(), pending, key));

    await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> !registered(greenHelix, pending.getName()).isEmpty());
    assertThat(
            registered(greenHelix, pending.getName())
                .get(0)
                .input()
                .get("metadata")
                .get("public_key")
                .asText())
        .isEqualTo(key.publicKey().base64());
    await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> !getAsAdmin(pending.getId()).getGreenhelixAgentId().isEmpty());
    assertThat(getAsAdmin(pending.getId()).getGreenhelixAgentId()).startsWith("gh-agent-");
    await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(
            () ->
                greenHelix.accepted("publish_event").stream()
                    .anyMatch(
                        c ->
                            c.input().get("event_type").asText().equals("fleet.identity_enrolled")
                                && c.input()
                                    .get("payload")
                                    .get("agent_id")
                                    .asText()
                                    .equals(pending.getId())));
    assertThat(greenHelix.violations()).isEmpty();
  }

  @Test
  void onlyTheHashOfATokenIsStored() {
    Identity pending = registerPending(unique("hash"));
    String token = issue(pending).getToken();

    List<Object> stored =
        query(
            entityManager,
            "select token_hash from enrollment_tokens where agent_id = :a",
            Map.of("a", pending.getId()));

    assertThat(stored).containsExactly(OneTimeTokens.hashHex(token));
  }

  @Test
  void aUsedTokenIsPermissionDeniedAndTheFirstKeyStays() {
    Identity pending = registerPending(unique("used"));
    String token = issue(pending).getToken();
    SigningKey first = SigningKey.generate();
    anonymous().enrollBot(enrollment(token, pending, first));

    StatusRuntimeException e =
        failure(() -> anonymous().enrollBot(enrollment(token, pending, SigningKey.generate())));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(errorInfo(e).getReason()).isEqualTo("ENROLLMENT_TOKEN_USED");
    assertThat(getAsAdmin(pending.getId()).getPublicKey()).isEqualTo(first.publicKey().base64());
    assertThat(eventCount(keyCache, pending.getId(), "fleet.identity_enrolled")).isEqualTo(1);
  }

  @Test
  void aRetryWhoseFirstAnswerWasLostGetsTheSameEnrollmentAndNothingMore() {
    Identity pending = registerPending(unique("retry"));
    String token = issue(pending).getToken();
    SigningKey key = SigningKey.generate();
    var first = anonymous().enrollBot(enrollment(token, pending, key));

    var retried = anonymous().enrollBot(enrollment(token, pending, key));

    assertThat(retried.getIdentity().getId()).isEqualTo(first.getIdentity().getId());
    assertThat(retried.getIdentity().getKeyVersion()).isEqualTo(1);
    assertThat(retried.getIdentity().getPublicKey()).isEqualTo(key.publicKey().base64());
    assertThat(eventCount(keyCache, pending.getId(), "fleet.identity_enrolled")).isEqualTo(1);
  }

  @Test
  void aTokenRacedByManyEnrollsExactlyOnce() throws Exception {
    Identity pending = registerPending(unique("race"));
    String token = issue(pending).getToken();
    int racers = 6;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(racers);
    try {
      List<java.util.concurrent.Future<Status.Code>> outcomes = new java.util.ArrayList<>();
      for (int i = 0; i < racers; i++) {
        EnrollBotRequest request = enrollment(token, pending, SigningKey.generate());
        outcomes.add(
            pool.submit(
                () -> {
                  try {
                    anonymous().enrollBot(request);
                    return Status.Code.OK;
                  } catch (StatusRuntimeException e) {
                    return e.getStatus().getCode();
                  }
                }));
      }
      List<Status.Code> codes = new java.util.ArrayList<>();
      for (var outcome : outcomes) {
        codes.add(outcome.get());
      }

      assertThat(codes).containsOnlyOnce(Status.Code.OK);
      assertThat(codes)
          .filteredOn(c -> c != Status.Code.OK)
          .containsOnly(Status.Code.PERMISSION_DENIED);
      assertThat(eventCount(keyCache, pending.getId(), "fleet.identity_enrolled")).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anExpiredTokenIsPermissionDeniedAndTheIdentityStaysPending() {
    Identity pending = registerPending(unique("expired"));
    String token = issue(pending).getToken();
    sql(
        entityManager,
        "update enrollment_tokens set expires_at = now() - interval '1 second' where agent_id = :a",
        Map.of("a", pending.getId()));

    StatusRuntimeException e =
        failure(() -> anonymous().enrollBot(enrollment(token, pending, SigningKey.generate())));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(errorInfo(e).getReason()).isEqualTo("ENROLLMENT_TOKEN_EXPIRED");
    assertThat(getAsAdmin(pending.getId()).getStatus())
        .isEqualTo(IdentityStatus.IDENTITY_STATUS_PENDING_ENROLLMENT);
  }

  @Test
  void aTokenForAnotherNameIsPermissionDeniedAndStillWorksForItsOwn() {
    Identity mine = registerPending(unique("mine"));
    Identity other = registerPending(unique("other"));
    String token = issue(mine).getToken();

    StatusRuntimeException e =
        failure(() -> anonymous().enrollBot(enrollment(token, other, SigningKey.generate())));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(errorInfo(e).getReason()).isEqualTo("ENROLLMENT_TOKEN_FOREIGN");
    assertThat(getAsAdmin(other.getId()).getStatus())
        .isEqualTo(IdentityStatus.IDENTITY_STATUS_PENDING_ENROLLMENT);
    assertThat(
            anonymous()
                .enrollBot(enrollment(token, mine, SigningKey.generate()))
                .getIdentity()
                .getStatus())
        .isEqualTo(IdentityStatus.IDENTITY_STATUS_ACTIVE);
  }

  @Test
  void anUnknownOrMalformedTokenIsRefused() {
    Identity pending = registerPending(unique("unknown"));
    String unknown = OneTimeTokens.generate(OneTimeTokens.ENROLLMENT);

    StatusRuntimeException e =
        failure(() -> anonymous().enrollBot(enrollment(unknown, pending, SigningKey.generate())));
    StatusRuntimeException malformed =
        failure(
            () -> anonymous().enrollBot(enrollment("bfe_short", pending, SigningKey.generate())));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(errorInfo(e).getReason()).isEqualTo("ENROLLMENT_TOKEN_INVALID");
    assertThat(malformed.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(badRequestFields(malformed)).containsExactly("token");
  }

  @Test
  void malformedKeysAreInvalidArgumentAndTheTokenStaysUsable() {
    Identity pending = registerPending(unique("badkey"));
    String token = issue(pending).getToken();
    SigningKey key = SigningKey.generate();
    EnrollBotRequest good = enrollment(token, pending, key);

    StatusRuntimeException tooShort =
        failure(() -> anonymous().enrollBot(good.toBuilder().setPublicKey("AAAA").build()));
    StatusRuntimeException notBase64 =
        failure(() -> anonymous().enrollBot(good.toBuilder().setPublicKey("not base64!").build()));
    StatusRuntimeException badSignature =
        failure(
            () -> anonymous().enrollBot(good.toBuilder().setChallengeSignature("AAAA").build()));

    assertThat(tooShort.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(badRequestFields(tooShort)).containsExactly("public_key");
    assertThat(tooShort.getStatus().getDescription()).contains("32 bytes");
    assertThat(badRequestFields(notBase64)).containsExactly("public_key");
    assertThat(badRequestFields(badSignature)).containsExactly("challenge_signature");
    assertThat(anonymous().enrollBot(good).getIdentity().getPublicKey())
        .isEqualTo(key.publicKey().base64());
  }

  @Test
  void aChallengeSignedWithAnotherKeyProvesNothingAndChangesNothing() {
    Identity pending = registerPending(unique("pop"));
    String token = issue(pending).getToken();
    SigningKey claimed = SigningKey.generate();
    SigningKey someoneElse = SigningKey.generate();
    String challenge =
        ProofOfPossession.enrollment(pending.getName(), claimed.publicKey().base64(), token);
    EnrollBotRequest forged =
        EnrollBotRequest.newBuilder()
            .setToken(token)
            .setName(pending.getName())
            .setPublicKey(claimed.publicKey().base64())
            .setChallengeSignature(sign(someoneElse, challenge))
            .build();

    StatusRuntimeException e = failure(() -> anonymous().enrollBot(forged));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(badRequestFields(e)).containsExactly("challenge_signature");
    assertThat(getAsAdmin(pending.getId()).getStatus())
        .isEqualTo(IdentityStatus.IDENTITY_STATUS_PENDING_ENROLLMENT);
    assertThat(
            anonymous()
                .enrollBot(enrollment(token, pending, claimed))
                .getIdentity()
                .getKeyVersion())
        .isEqualTo(1);
  }

  @Test
  void aKeyAnotherIdentityHasIsRefused() {
    Bot existing = registerBot(keyCache);
    Identity pending = registerPending(unique("copy"));

    StatusRuntimeException e =
        failure(
            () ->
                anonymous()
                    .enrollBot(
                        enrollment(
                            issue(pending).getToken(), pending, existing.credentials.get().key())));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(errorInfo(e).getReason()).isEqualTo("PUBLIC_KEY_IN_USE");
  }

  @Test
  void anOperatorWithoutAdminMayNotCreateTokens() {
    Identity pending = registerPending(unique("noadmin"));
    for (OperatorRole role :
        List.of(OperatorRole.OPERATOR_ROLE_OPERATOR, OperatorRole.OPERATOR_ROLE_VIEWER)) {
      TestPrincipal operator = operatorWithRole(keyCache, role);

      StatusRuntimeException e =
          failure(() -> identity(operator).createEnrollmentToken(tokenRequest(pending)));

      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }
    assertThat(eventCount(keyCache, pending.getId(), "fleet.enrollment_token_created")).isZero();
  }

  @Test
  void aNewTokenReplacesTheEarlierOne() {
    Identity pending = registerPending(unique("replace"));
    String first = issue(pending).getToken();
    String second = issue(pending).getToken();

    StatusRuntimeException e =
        failure(() -> anonymous().enrollBot(enrollment(first, pending, SigningKey.generate())));

    assertThat(errorInfo(e).getReason()).isEqualTo("ENROLLMENT_TOKEN_INVALID");
    assertThat(
            anonymous()
                .enrollBot(enrollment(second, pending, SigningKey.generate()))
                .getIdentity()
                .getStatus())
        .isEqualTo(IdentityStatus.IDENTITY_STATUS_ACTIVE);
  }

  @Test
  void tokensAreOnlyForPendingIdentitiesWithASaneLifetime() {
    Bot active = registerBot(keyCache);
    Identity pending = registerPending(unique("ttl"));

    StatusRuntimeException notPending =
        failure(
            () ->
                identity(admin(keyCache))
                    .createEnrollmentToken(
                        CreateEnrollmentTokenRequest.newBuilder().setAgentId(active.id()).build()));
    StatusRuntimeException tooLong =
        failure(
            () ->
                identity(admin(keyCache))
                    .createEnrollmentToken(
                        tokenRequest(pending).toBuilder()
                            .setTtl(Duration.newBuilder().setSeconds(8 * 86400))
                            .build()));

    assertThat(notPending.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(errorInfo(notPending).getReason()).isEqualTo("IDENTITY_NOT_PENDING");
    assertThat(badRequestFields(tooLong)).containsExactly("ttl");
  }

  @Test
  void aGeneratedKeyIsReturnedOnceAndWorksAndIsStoredNowhere() {
    Identity pending = registerPending(unique("generated"));
    String token = issue(pending).getToken();

    var answer =
        anonymous()
            .enrollBotWithGeneratedKey(
                EnrollBotWithGeneratedKeyRequest.newBuilder()
                    .setToken(token)
                    .setName(pending.getName())
                    .build());
    SigningKey key = SigningKey.fromBase64(answer.getPrivateKey());

    assertThat(answer.getIdentity().getPublicKey()).isEqualTo(key.publicKey().base64());
    await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> keyCache.find(pending.getId(), 1).isPresent());
    Bot bot = new Bot(answer.getIdentity(), new Credentials(pending.getId(), 1, key));
    assertThat(bot.stub().getIdentity(get(pending.getId())).getIdentity().getId())
        .isEqualTo(pending.getId());
    Object found =
        query(
                entityManager,
                "select count(*) from events where payload::text like :k"
                    + " or exists (select 1 from greenhelix_outbox where input::text like :k)",
                Map.of("k", "%" + answer.getPrivateKey() + "%"))
            .get(0);
    assertThat(((Number) found).longValue()).isZero();
    StatusRuntimeException again =
        failure(
            () ->
                anonymous()
                    .enrollBotWithGeneratedKey(
                        EnrollBotWithGeneratedKeyRequest.newBuilder()
                            .setToken(token)
                            .setName(pending.getName())
                            .build()));
    assertThat(errorInfo(again).getReason()).isEqualTo("ENROLLMENT_TOKEN_USED");
  }

  @Test
  void anOperatorJoinsWithATokenAnAdminIssued() {
    Identity pending =
        identity(admin(keyCache))
            .registerAgent(
                RegisterAgentRequest.newBuilder()
                    .setName(unique("alice"))
                    .setOrganization("acme")
                    .setKind(PrincipalKind.PRINCIPAL_KIND_OPERATOR)
                    .setOperatorRole(OperatorRole.OPERATOR_ROLE_VIEWER)
                    .build())
            .getIdentity();
    SigningKey key = SigningKey.generate();

    Identity enrolled =
        anonymous().enrollBot(enrollment(issue(pending).getToken(), pending, key)).getIdentity();

    assertThat(enrolled.getKind()).isEqualTo(PrincipalKind.PRINCIPAL_KIND_OPERATOR);
    assertThat(enrolled.hasNextRotationTime()).isFalse();
    await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> keyCache.find(pending.getId(), 1).isPresent());
    Bot operator = new Bot(enrolled, new Credentials(pending.getId(), 1, key));
    assertThat(
            operator
                .stub()
                .listIdentities(ListIdentitiesRequest.newBuilder().setPageSize(1).build())
                .getIdentitiesCount())
        .isEqualTo(1);
  }

  private Identity registerPending(String name) {
    return identity(admin(keyCache)).registerAgent(botRequest(name).build()).getIdentity();
  }

  private CreateEnrollmentTokenResponse issue(Identity pending) {
    return identity(admin(keyCache)).createEnrollmentToken(tokenRequest(pending));
  }

  private Identity getAsAdmin(String agentId) {
    return identity(admin(keyCache)).getIdentity(get(agentId)).getIdentity();
  }

  private static CreateEnrollmentTokenRequest tokenRequest(Identity pending) {
    return CreateEnrollmentTokenRequest.newBuilder().setAgentId(pending.getId()).build();
  }

  private static GetIdentityRequest get(String agentId) {
    return GetIdentityRequest.newBuilder().setAgentId(agentId).build();
  }

  /** What a bot sends: its public key and the enrollment challenge signed with its private key. */
  static EnrollBotRequest enrollment(String token, Identity pending, SigningKey key) {
    String publicKey = key.publicKey().base64();
    return EnrollBotRequest.newBuilder()
        .setToken(token)
        .setName(pending.getName())
        .setPublicKey(publicKey)
        .setChallengeSignature(
            sign(key, ProofOfPossession.enrollment(pending.getName(), publicKey, token)))
        .build();
  }

  static String sign(SigningKey key, String challenge) {
    return Base64.getEncoder().encodeToString(key.sign(challenge.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<GreenHelixStandIn.Call> registered(
      GreenHelixStandIn greenHelix, String name) {
    return greenHelix.accepted("register_agent").stream()
        .filter(c -> c.input().get("name").asText().equals(name))
        .toList();
  }
}
