package io.botfleet.identity.grpc;

import static io.botfleet.devkit.StatusDetails.badRequestFields;
import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.botfleet.common.auth.KeyCache;
import io.botfleet.devkit.GreenHelixStandIn;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.identity.IdentityTestSupport;
import io.botfleet.identity.v1.CompleteKeyRotationRequest;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.IdentityStatus;
import io.botfleet.identity.v1.KeyRotation;
import io.botfleet.identity.v1.KeyStatus;
import io.botfleet.identity.v1.RegistryMatch;
import io.botfleet.identity.v1.VerifyIdentityRequest;
import io.botfleet.identity.v1.VerifyIdentityResponse;
import io.botfleet.identity.v1.VerifySignatureRequest;
import io.botfleet.identity.v1.VerifySignatureResponse;
import io.botfleet.signing.SigningKey;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** VerifySignature over every key version ever valid, and VerifyIdentity against GreenHelix. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class VerificationTest extends IdentityTestSupport {

  private static final byte[] MESSAGE = "trade 7 at 64000".getBytes(StandardCharsets.UTF_8);

  @Inject KeyCache keyCache;

  @Test
  void historicalSignaturesStayVerifiableAfterARotationAndSayTheirKeyIsRetired() {
    Bot bot = registerBot(keyCache);
    SigningKey oldKey = bot.credentials.get().key();
    byte[] beforeRotation = oldKey.sign(MESSAGE);
    SigningKey newKey = rotate(bot);

    VerifySignatureResponse old = verify(bot.id(), 1, MESSAGE, beforeRotation);
    VerifySignatureResponse current = verify(bot.id(), 2, MESSAGE, newKey.sign(MESSAGE));
    VerifySignatureResponse crossed = verify(bot.id(), 2, MESSAGE, beforeRotation);

    assertThat(old.getValid()).isTrue();
    assertThat(old.getKeyStatus()).isEqualTo(KeyStatus.KEY_STATUS_RETIRED);
    assertThat(old.getIdentityStatus()).isEqualTo(IdentityStatus.IDENTITY_STATUS_ACTIVE);
    assertThat(current.getValid()).isTrue();
    assertThat(current.getKeyStatus()).isEqualTo(KeyStatus.KEY_STATUS_CURRENT);
    assertThat(crossed.getValid()).isFalse();
  }

  @Test
  void aSignatureFromAnotherBotsKeyIsNotValid() {
    Bot bot = registerBot(keyCache);
    Bot other = registerBot(keyCache);

    VerifySignatureResponse answer =
        verify(bot.id(), 1, MESSAGE, other.credentials.get().key().sign(MESSAGE));

    assertThat(answer.getValid()).isFalse();
    assertThat(answer.getKeyStatus()).isEqualTo(KeyStatus.KEY_STATUS_CURRENT);
  }

  @Test
  void malformedOrUnknownInputIsRefusedClearly() {
    Bot bot = registerBot(keyCache);

    StatusRuntimeException shortSignature =
        failure(() -> verify(bot.id(), 0, MESSAGE, new byte[10]));
    StatusRuntimeException unknownVersion =
        failure(() -> verify(bot.id(), 9, MESSAGE, new byte[64]));

    assertThat(shortSignature.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(badRequestFields(shortSignature)).containsExactly("key_version", "signature");
    assertThat(unknownVersion.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(errorInfo(unknownVersion).getReason()).isEqualTo("KEY_VERSION_NOT_FOUND");
  }

  @Test
  void ourKeyMatchesTheRegistryUntilSomeoneTampersWithIt() {
    GreenHelixStandIn greenHelix = GreenHelixTestResource.standIn();
    Bot bot = registerBot(keyCache);
    String greenhelixId = awaitRegistered(bot);

    VerifyIdentityResponse matching = verifyIdentity(bot.id());
    greenHelix.tamper(greenhelixId, SigningKey.generate().publicKey().base64());
    VerifyIdentityResponse tampered = verifyIdentity(bot.id());

    assertThat(matching.getMatch()).isEqualTo(RegistryMatch.REGISTRY_MATCH_MATCH);
    assertThat(matching.getLocalPublicKey()).isEqualTo(matching.getRegistryPublicKey());
    assertThat(tampered.getMatch()).isEqualTo(RegistryMatch.REGISTRY_MATCH_MISMATCH);
    assertThat(tampered.getMessage()).contains("tampering");
    assertThat(eventCount(keyCache, bot.id(), "fleet.identity_registry_mismatch")).isEqualTo(1);
    assertThat(greenHelix.violations()).isEmpty();
  }

  @Test
  void afterARotationTheRegistryHoldsAnOutdatedKeyNotATamperedOne() {
    Bot bot = registerBot(keyCache);
    awaitRegistered(bot);
    rotate(bot);

    VerifyIdentityResponse answer = verifyIdentity(bot.id());

    assertThat(answer.getMatch()).isEqualTo(RegistryMatch.REGISTRY_MATCH_OUTDATED);
    assertThat(answer.getMessage()).contains("version 1");
  }

  @Test
  void aBotNotYetEnrolledIsNotRegisteredAndABotMayNotAsk() {
    String pending =
        identity(admin(keyCache))
            .registerAgent(botRequest(unique("pending")).build())
            .getIdentity()
            .getId();
    Bot bot = registerBot(keyCache);

    VerifyIdentityResponse answer = verifyIdentity(pending);
    StatusRuntimeException asBot =
        failure(
            () ->
                bot.stub()
                    .verifyIdentity(
                        VerifyIdentityRequest.newBuilder().setAgentId(bot.id()).build()));

    assertThat(answer.getMatch()).isEqualTo(RegistryMatch.REGISTRY_MATCH_NOT_REGISTERED);
    assertThat(asBot.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  private String awaitRegistered(Bot bot) {
    await().atMost(Duration.ofSeconds(10)).until(() -> !greenhelixId(bot).isEmpty());
    return greenhelixId(bot);
  }

  private String greenhelixId(Bot bot) {
    return identity(admin(keyCache))
        .getIdentity(GetIdentityRequest.newBuilder().setAgentId(bot.id()).build())
        .getIdentity()
        .getGreenhelixAgentId();
  }

  /** A full rotation to key version 2; returns the new key. */
  private SigningKey rotate(Bot bot) {
    KeyRotation rotation = beginRotation(bot);
    SigningKey newKey = SigningKey.generate();
    bot.stub().registerRotatedKey(rotatedKey(bot, rotation, newKey));
    await().atMost(Duration.ofSeconds(5)).until(() -> keyCache.find(bot.id(), 2).isPresent());
    bot.use(2, newKey);
    bot.stub()
        .completeKeyRotation(
            CompleteKeyRotationRequest.newBuilder()
                .setAgentId(bot.id())
                .setRotationId(rotation.getId())
                .build());
    return newKey;
  }

  private VerifyIdentityResponse verifyIdentity(String agentId) {
    return identity(fleetService())
        .verifyIdentity(VerifyIdentityRequest.newBuilder().setAgentId(agentId).build());
  }

  private VerifySignatureResponse verify(String agentId, int version, byte[] message, byte[] sig) {
    return identity(fleetService())
        .verifySignature(
            VerifySignatureRequest.newBuilder()
                .setAgentId(agentId)
                .setKeyVersion(version)
                .setMessage(ByteString.copyFrom(message))
                .setSignature(ByteString.copyFrom(sig))
                .build());
  }
}
