package io.botfleet.identity.grpc;

import static io.botfleet.devkit.StatusDetails.badRequestFields;
import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.identity.IdentityTestSupport;
import io.botfleet.identity.v1.CompleteKeyRotationRequest;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.GetIdentityResponse;
import io.botfleet.identity.v1.KeyRotation;
import io.botfleet.identity.v1.KeyRotationState;
import io.botfleet.identity.v1.RegisterRotatedKeyRequest;
import io.botfleet.signing.CanonicalRequest;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SignatureHeaders;
import io.botfleet.signing.SigningKey;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * What an attacker (or a confused bot) may try against a rotation: each attempt gets the right
 * status and leaves the rotation and the keys as they were.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class RotationAttackTest extends IdentityTestSupport {

  static final String REGISTER_ROTATED_KEY =
      "botfleet.identity.v1.IdentityService/RegisterRotatedKey";

  @Inject KeyCache keyCache;

  @Test
  void aRotationRequestSignedByTheNewKeyAloneIsUnauthenticatedAndChangesNothing() {
    Bot bot = registerBot(keyCache);
    KeyRotation rotation = beginRotation(bot);
    SigningKey newKey = SigningKey.generate();
    RegisterRotatedKeyRequest request = rotatedKey(bot, rotation, newKey);

    bot.use(2, newKey);
    StatusRuntimeException asVersion2 = failure(() -> bot.stub().registerRotatedKey(request));
    bot.use(1, newKey);
    StatusRuntimeException asVersion1 = failure(() -> bot.stub().registerRotatedKey(request));

    assertThat(asVersion2.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(asVersion1.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(asVersion1.getStatus().getDescription()).contains("does not verify");
    assertUnchanged(bot, rotation);
  }

  @Test
  void aReplayedRegistrationIsUnauthenticatedAndRegistersNothingMore() {
    Bot bot = registerBot(keyCache);
    KeyRotation rotation = beginRotation(bot);
    RegisterRotatedKeyRequest request = rotatedKey(bot, rotation, SigningKey.generate());
    SignatureHeaders once =
        new RequestSigner(bot.credentials::get).sign(REGISTER_ROTATED_KEY, request.toByteArray());

    assertThat(stubWithHeaders(once).registerRotatedKey(request).getKeyVersion()).isEqualTo(2);
    StatusRuntimeException replay =
        failure(() -> stubWithHeaders(once).registerRotatedKey(request));

    assertThat(replay.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(replay.getStatus().getDescription()).contains("replay");
    assertThat(self(bot).getKeysCount()).isEqualTo(2);
    assertThat(eventCount(keyCache, bot.id(), "fleet.key_rotation_key_registered")).isEqualTo(1);
  }

  @Test
  void aStaleRegistrationIsUnauthenticatedAndChangesNothing() {
    Bot bot = registerBot(keyCache);
    KeyRotation rotation = beginRotation(bot);
    RegisterRotatedKeyRequest request = rotatedKey(bot, rotation, SigningKey.generate());
    SignatureHeaders stale =
        new RequestSigner(bot.credentials::get)
            .sign(
                REGISTER_ROTATED_KEY,
                CanonicalRequest.sha256Hex(request.toByteArray()),
                System.currentTimeMillis() - 60_000,
                RequestSigner.newNonce());

    StatusRuntimeException e = failure(() -> stubWithHeaders(stale).registerRotatedKey(request));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(e.getStatus().getDescription()).contains("window");
    assertUnchanged(bot, rotation);
  }

  @Test
  void aBotMayNotRotateOrReadAnotherBot() {
    Bot victim = registerBot(keyCache);
    Bot attacker = registerBot(keyCache);
    KeyRotation rotation = beginRotation(victim);
    RegisterRotatedKeyRequest forVictim = rotatedKey(victim, rotation, SigningKey.generate());

    StatusRuntimeException register = failure(() -> attacker.stub().registerRotatedKey(forVictim));
    StatusRuntimeException complete =
        failure(
            () ->
                attacker
                    .stub()
                    .completeKeyRotation(
                        CompleteKeyRotationRequest.newBuilder()
                            .setAgentId(victim.id())
                            .setRotationId(rotation.getId())
                            .build()));
    StatusRuntimeException read =
        failure(
            () ->
                attacker
                    .stub()
                    .getIdentity(GetIdentityRequest.newBuilder().setAgentId(victim.id()).build()));
    StatusRuntimeException ownIdOtherRotation =
        failure(
            () ->
                attacker
                    .stub()
                    .registerRotatedKey(rotatedKey(attacker, rotation, SigningKey.generate())));

    for (StatusRuntimeException e : new StatusRuntimeException[] {register, complete, read}) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(errorInfo(e).getReason()).isEqualTo("NOT_SELF");
    }
    assertThat(ownIdOtherRotation.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertUnchanged(victim, rotation);
  }

  @Test
  void aRequestSignedWithAnotherBotsKeyIsUnauthenticated() {
    Bot victim = registerBot(keyCache);
    Bot attacker = registerBot(keyCache);
    KeyRotation rotation = beginRotation(victim);
    Bot impostor =
        new Bot(victim.identity, new Credentials(victim.id(), 1, attacker.credentials.get().key()));

    StatusRuntimeException e =
        failure(
            () ->
                impostor
                    .stub()
                    .registerRotatedKey(rotatedKey(victim, rotation, SigningKey.generate())));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(e.getStatus().getDescription()).contains("does not verify");
    assertUnchanged(victim, rotation);
  }

  @Test
  void malformedNewKeysAreInvalidArgumentAndChangeNothing() {
    Bot bot = registerBot(keyCache);
    KeyRotation rotation = beginRotation(bot);
    RegisterRotatedKeyRequest good = rotatedKey(bot, rotation, SigningKey.generate());

    StatusRuntimeException tooShort =
        failure(
            () ->
                bot.stub()
                    .registerRotatedKey(
                        good.toBuilder()
                            .setNewPublicKey("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                            .build()));
    StatusRuntimeException notBase64 =
        failure(
            () -> bot.stub().registerRotatedKey(good.toBuilder().setNewPublicKey("%%%").build()));
    StatusRuntimeException noSignature =
        failure(
            () ->
                bot.stub().registerRotatedKey(good.toBuilder().setChallengeSignature("").build()));

    assertThat(tooShort.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(badRequestFields(tooShort)).containsExactly("new_public_key");
    assertThat(badRequestFields(notBase64)).containsExactly("new_public_key");
    assertThat(badRequestFields(noSignature)).containsExactly("challenge_signature");
    assertUnchanged(bot, rotation);
  }

  @Test
  void aNewKeyWhosePossessionIsNotProvenIsRefused() {
    Bot bot = registerBot(keyCache);
    KeyRotation rotation = beginRotation(bot);
    SigningKey newKey = SigningKey.generate();
    // The challenge signed with the current key instead of the new one.
    RegisterRotatedKeyRequest unproven =
        rotatedKey(bot, rotation, newKey).toBuilder()
            .setChallengeSignature(
                rotatedKey(bot, rotation, bot.credentials.get().key()).getChallengeSignature())
            .build();

    StatusRuntimeException e = failure(() -> bot.stub().registerRotatedKey(unproven));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(badRequestFields(e)).containsExactly("challenge_signature");
    assertUnchanged(bot, rotation);
  }

  @Test
  void theCurrentKeyCannotBeItsOwnSuccessor() {
    Bot bot = registerBot(keyCache);
    KeyRotation rotation = beginRotation(bot);

    StatusRuntimeException e =
        failure(
            () ->
                bot.stub()
                    .registerRotatedKey(rotatedKey(bot, rotation, bot.credentials.get().key())));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(errorInfo(e).getReason()).isEqualTo("PUBLIC_KEY_IN_USE");
    assertUnchanged(bot, rotation);
  }

  /** The rotation still waits for a key and the bot still has only its first key. */
  private void assertUnchanged(Bot bot, KeyRotation rotation) {
    GetIdentityResponse now =
        identity(admin(keyCache))
            .getIdentity(GetIdentityRequest.newBuilder().setAgentId(bot.id()).build());
    assertThat(now.getIdentity().getRotation().getId()).isEqualTo(rotation.getId());
    assertThat(now.getIdentity().getRotation().getState())
        .isEqualTo(KeyRotationState.KEY_ROTATION_STATE_AWAITING_KEY);
    assertThat(now.getKeysCount()).isEqualTo(1);
    assertThat(now.getIdentity().getKeyVersion()).isEqualTo(1);
  }

  private static GetIdentityResponse self(Bot bot) {
    return bot.stub().getIdentity(GetIdentityRequest.newBuilder().setAgentId(bot.id()).build());
  }
}
