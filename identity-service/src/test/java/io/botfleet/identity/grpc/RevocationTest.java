package io.botfleet.identity.grpc;

import static io.botfleet.devkit.StatusDetails.badRequestFields;
import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.v1.ListEventsRequest;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.devkit.GreenHelixStandIn;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.identity.IdentityTestSupport;
import io.botfleet.identity.v1.CreateEnrollmentTokenRequest;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.GetIdentityResponse;
import io.botfleet.identity.v1.Identity;
import io.botfleet.identity.v1.IdentityStatus;
import io.botfleet.identity.v1.KeyEventType;
import io.botfleet.identity.v1.KeyRotation;
import io.botfleet.identity.v1.KeyStatus;
import io.botfleet.identity.v1.RegisterAgentRequest;
import io.botfleet.identity.v1.RevokeIdentityRequest;
import io.botfleet.identity.v1.VerifySignatureRequest;
import io.botfleet.identity.v1.WatchKeysResponse;
import io.botfleet.signing.SigningKey;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Revocation is destructive and immediate: every key version, everywhere, at once, for good. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class RevocationTest extends IdentityTestSupport {

  @Inject KeyCache keyCache;

  @Test
  void revokingABotMidRotationMakesEveryVersionFailAtOnceAndTellsEveryKeyCache() throws Exception {
    Bot bot = registerBot(keyCache);
    SigningKey oldKey = bot.credentials.get().key();
    KeyRotation rotation = beginRotation(bot);
    SigningKey newKey = SigningKey.generate();
    bot.stub().registerRotatedKey(rotatedKey(bot, rotation, newKey));
    await().atMost(Duration.ofSeconds(5)).until(() -> keyCache.find(bot.id(), 2).isPresent());
    byte[] history = "order 42 filled".getBytes(StandardCharsets.UTF_8);
    byte[] historySignature = oldKey.sign(history);

    try (WatchKeysTest.Watch watch = WatchKeysTest.Watch.open(0)) {
      watch.untilSnapshotEnd();
      Identity revoked = revoke(bot.id(), "key compromised on host 7");

      WatchKeysResponse seen;
      do {
        seen = watch.next();
      } while (!seen.getKey().getAgentId().equals(bot.id())
          || seen.getType() != KeyEventType.KEY_EVENT_TYPE_IDENTITY_REVOKED);
      assertThat(revoked.getStatus()).isEqualTo(IdentityStatus.IDENTITY_STATUS_REVOKED);
      assertThat(revoked.getRevokeReason()).isEqualTo("key compromised on host 7");
      assertThat(revoked.hasRevokeTime()).isTrue();
      assertThat(revoked.hasRotation()).isFalse();
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> keyCache.find(bot.id(), 1).isEmpty());
    assertThat(keyCache.find(bot.id(), 2)).isEmpty();
    for (int version = 1; version <= 2; version++) {
      bot.use(version, version == 1 ? oldKey : newKey);
      StatusRuntimeException e = failure(() -> bot.stub().getIdentity(get(bot.id())));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }
    GetIdentityResponse after = identity(admin(keyCache)).getIdentity(get(bot.id()));
    assertThat(after.getKeysList())
        .extracting(k -> k.getStatus())
        .containsOnly(KeyStatus.KEY_STATUS_REVOKED);
    assertThat(eventCount(keyCache, bot.id(), "fleet.key_rotation_cancelled")).isEqualTo(1);
    var check =
        identity(admin(keyCache))
            .verifySignature(
                VerifySignatureRequest.newBuilder()
                    .setAgentId(bot.id())
                    .setKeyVersion(1)
                    .setMessage(ByteString.copyFrom(history))
                    .setSignature(ByteString.copyFrom(historySignature))
                    .build());
    assertThat(check.getValid()).isTrue();
    assertThat(check.getKeyStatus()).isEqualTo(KeyStatus.KEY_STATUS_REVOKED);
    assertThat(check.getIdentityStatus()).isEqualTo(IdentityStatus.IDENTITY_STATUS_REVOKED);
  }

  @Test
  void theRevocationEventCarriesTheGuidesFieldsInTheAuditTrailAndOnGreenHelix() {
    GreenHelixStandIn greenHelix = GreenHelixTestResource.standIn();
    Bot bot = registerBot(keyCache, botRequest(unique("revoked")).setFleetManager("svc-fleet"));

    revoke(bot.id(), "suspected compromise");

    var event =
        audit(admin(keyCache))
            .listEvents(
                ListEventsRequest.newBuilder()
                    .setAgentId(bot.id())
                    .addTypes("fleet.identity_revoked")
                    .build())
            .getEvents(0);
    var fields = event.getPayload().getFieldsMap();
    assertThat(event.getActor()).isEqualTo("svc-fleet");
    assertThat(fields.get("revoked_agent_id").getStringValue()).isEqualTo(bot.id());
    assertThat(fields.get("bot_name").getStringValue()).isEqualTo(bot.name());
    assertThat(fields.get("reason").getStringValue()).isEqualTo("suspected compromise");
    assertThat(Instant.parse(fields.get("revoked_at").getStringValue()))
        .isBetween(Instant.now().minusSeconds(60), Instant.now());
    assertThat(fields.get("key_version_revoked").getNumberValue()).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                greenHelix.accepted("publish_event").stream()
                    .anyMatch(
                        c ->
                            c.input().get("event_type").asText().equals("fleet.identity_revoked")
                                && c.input()
                                    .get("payload")
                                    .get("revoked_agent_id")
                                    .asText()
                                    .equals(bot.id())
                                && c.input().get("agent_id").asText().equals("svc-fleet")));
    assertThat(greenHelix.violations()).isEmpty();
  }

  @Test
  void aRevokedIdentityCanNeverBeEnrolledAgainButItsNameCanBeRegisteredAnew() {
    String name = unique("reenroll");
    Identity pending =
        identity(admin(keyCache)).registerAgent(botRequest(name).build()).getIdentity();
    String token =
        identity(admin(keyCache))
            .createEnrollmentToken(
                CreateEnrollmentTokenRequest.newBuilder().setAgentId(pending.getId()).build())
            .getToken();

    revoke(pending.getId(), "never deployed");

    StatusRuntimeException enroll =
        failure(
            () ->
                anonymous()
                    .enrollBot(EnrollmentTest.enrollment(token, pending, SigningKey.generate())));
    StatusRuntimeException newToken =
        failure(
            () ->
                identity(admin(keyCache))
                    .createEnrollmentToken(
                        CreateEnrollmentTokenRequest.newBuilder()
                            .setAgentId(pending.getId())
                            .build()));
    Identity successor =
        identity(admin(keyCache)).registerAgent(botRequest(name).build()).getIdentity();

    assertThat(enroll.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(errorInfo(newToken).getReason()).isEqualTo("IDENTITY_NOT_PENDING");
    assertThat(successor.getId()).isNotEqualTo(pending.getId());
    assertThat(
            identity(admin(keyCache)).getIdentity(get(pending.getId())).getIdentity().getStatus())
        .isEqualTo(IdentityStatus.IDENTITY_STATUS_REVOKED);
  }

  @Test
  void revokingTwiceChangesNothingTheSecondTime() {
    Bot bot = registerBot(keyCache);
    Identity first = revoke(bot.id(), "first");

    Identity second = revoke(bot.id(), "second");

    assertThat(second.getRevokeReason()).isEqualTo("first");
    assertThat(second.getRevokeTime()).isEqualTo(first.getRevokeTime());
    assertThat(eventCount(keyCache, bot.id(), "fleet.identity_revoked")).isEqualTo(1);
  }

  @Test
  void onlyAnAdministratorRevokesAnOperatorAndNobodyRevokesAServiceHere() {
    String operatorId =
        identity(admin(keyCache))
            .registerAgent(
                RegisterAgentRequest.newBuilder()
                    .setName(unique("bob"))
                    .setOrganization("acme")
                    .setKind(PrincipalKind.PRINCIPAL_KIND_OPERATOR)
                    .setOperatorRole(OperatorRole.OPERATOR_ROLE_OPERATOR)
                    .setPublicKey(SigningKey.generate().publicKey().base64())
                    .build())
            .getIdentity()
            .getId();

    StatusRuntimeException byOperator =
        failure(
            () ->
                identity(operatorWithRole(keyCache, OperatorRole.OPERATOR_ROLE_OPERATOR))
                    .revokeIdentity(request(operatorId, "mutiny")));
    StatusRuntimeException service =
        failure(() -> identity(admin(keyCache)).revokeIdentity(request("svc-fleet", "test")));
    StatusRuntimeException viewer =
        failure(
            () ->
                identity(operatorWithRole(keyCache, OperatorRole.OPERATOR_ROLE_VIEWER))
                    .revokeIdentity(request(operatorId, "no")));

    assertThat(byOperator.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(errorInfo(byOperator).getReason()).isEqualTo("ADMIN_REQUIRED");
    assertThat(errorInfo(service).getReason()).isEqualTo("SERVICE_IDENTITY");
    assertThat(viewer.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(
            identity(admin(keyCache))
                .revokeIdentity(request(operatorId, "left the team"))
                .getIdentity()
                .getStatus())
        .isEqualTo(IdentityStatus.IDENTITY_STATUS_REVOKED);
  }

  @Test
  void aReasonIsRequired() {
    Bot bot = registerBot(keyCache);

    StatusRuntimeException e =
        failure(() -> identity(fleetService()).revokeIdentity(request(bot.id(), " ")));

    assertThat(badRequestFields(e)).containsExactly("reason");
    assertThat(keyCache.find(bot.id(), 1)).isPresent();
  }

  private static Identity revoke(String agentId, String reason) {
    return identity(fleetService()).revokeIdentity(request(agentId, reason)).getIdentity();
  }

  private static RevokeIdentityRequest request(String agentId, String reason) {
    return RevokeIdentityRequest.newBuilder().setAgentId(agentId).setReason(reason).build();
  }

  private static GetIdentityRequest get(String agentId) {
    return GetIdentityRequest.newBuilder().setAgentId(agentId).build();
  }
}
