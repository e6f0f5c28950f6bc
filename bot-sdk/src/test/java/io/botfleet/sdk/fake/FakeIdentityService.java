package io.botfleet.sdk.fake;

import io.botfleet.common.auth.KeyState;
import io.botfleet.identity.v1.CompleteKeyRotationRequest;
import io.botfleet.identity.v1.CompleteKeyRotationResponse;
import io.botfleet.identity.v1.EnrollBotRequest;
import io.botfleet.identity.v1.EnrollBotResponse;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.GetIdentityResponse;
import io.botfleet.identity.v1.Identity;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.IdentityStatus;
import io.botfleet.identity.v1.KeyRotation;
import io.botfleet.identity.v1.KeyRotationState;
import io.botfleet.identity.v1.KeyStatus;
import io.botfleet.identity.v1.PublicKey;
import io.botfleet.identity.v1.RegisterRotatedKeyRequest;
import io.botfleet.identity.v1.RegisterRotatedKeyResponse;
import io.botfleet.signing.CanonicalRequest;
import io.botfleet.signing.VerifyingKey;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * identity-service's enrollment and rotation RPCs. The proofs of possession are checked against
 * challenges written out here from docs/protocol.md, not with the SDK's own code.
 */
final class FakeIdentityService extends IdentityServiceGrpc.IdentityServiceImplBase {

  private final FakeControlPlane plane;

  FakeIdentityService(FakeControlPlane plane) {
    this.plane = plane;
  }

  @Override
  public void enrollBot(EnrollBotRequest request, StreamObserver<EnrollBotResponse> response) {
    String name = plane.tokens.get(request.getToken());
    if (name == null || !name.equals(request.getName())) {
      response.onError(
          Status.PERMISSION_DENIED
              .withDescription("unknown, used or foreign enrollment token")
              .asRuntimeException());
      return;
    }
    VerifyingKey key;
    try {
      key = VerifyingKey.fromBase64(request.getPublicKey());
    } catch (IllegalArgumentException e) {
      response.onError(
          Status.INVALID_ARGUMENT
              .withDescription("public_key: " + e.getMessage())
              .asRuntimeException());
      return;
    }
    String challenge =
        "BOTFLEET-ENROLL-V1\n"
            + request.getName()
            + "\n"
            + request.getPublicKey()
            + "\n"
            + CanonicalRequest.sha256Hex(request.getToken().getBytes(StandardCharsets.UTF_8));
    if (!verifies(key, challenge, request.getChallengeSignature())) {
      response.onError(
          Status.INVALID_ARGUMENT
              .withDescription("challenge_signature does not verify")
              .asRuntimeException());
      return;
    }
    plane.tokens.remove(request.getToken());
    FakeIdentity identity = plane.enroll(name, key);
    response.onNext(EnrollBotResponse.newBuilder().setIdentity(proto(identity)).build());
    response.onCompleted();
  }

  @Override
  public void registerRotatedKey(
      RegisterRotatedKeyRequest request, StreamObserver<RegisterRotatedKeyResponse> response) {
    if (!request.getAgentId().equals(VerifyingInterceptor.CALLER.get())) {
      response.onError(
          Status.PERMISSION_DENIED
              .withDescription("a bot rotates only itself")
              .asRuntimeException());
      return;
    }
    FakeIdentity identity = plane.identity(request.getAgentId());
    synchronized (identity) {
      if (identity.rotationId == null
          || !identity.rotationId.equals(request.getRotationId())
          || identity.rotationTo != 0) {
        response.onError(
            Status.FAILED_PRECONDITION
                .withDescription("no rotation awaiting a key with id " + request.getRotationId())
                .asRuntimeException());
        return;
      }
      VerifyingKey key = VerifyingKey.fromBase64(request.getNewPublicKey());
      String challenge =
          "BOTFLEET-ROTATE-V1\n"
              + request.getAgentId()
              + "\n"
              + request.getRotationId()
              + "\n"
              + request.getNewPublicKey();
      if (!verifies(key, challenge, request.getChallengeSignature())) {
        response.onError(
            Status.INVALID_ARGUMENT
                .withDescription("challenge_signature does not verify")
                .asRuntimeException());
        return;
      }
      int next = identity.current + 1;
      identity.putKey(next, key, KeyState.NEXT);
      identity.rotationTo = next;
      plane.publish(identity, next);
      response.onNext(
          RegisterRotatedKeyResponse.newBuilder()
              .setKeyVersion(next)
              .setRotation(
                  rotation(identity, KeyRotationState.KEY_ROTATION_STATE_AWAITING_CONFIRMATION))
              .build());
    }
    response.onCompleted();
  }

  @Override
  public void completeKeyRotation(
      CompleteKeyRotationRequest request, StreamObserver<CompleteKeyRotationResponse> response) {
    FakeIdentity identity = plane.identity(request.getAgentId());
    KeyRotation done;
    synchronized (identity) {
      if (identity.rotationId == null
          || !identity.rotationId.equals(request.getRotationId())
          || identity.rotationTo == 0) {
        response.onError(
            Status.FAILED_PRECONDITION
                .withDescription("no registered new key for rotation " + request.getRotationId())
                .asRuntimeException());
        return;
      }
      int old = identity.current;
      done = rotation(identity, KeyRotationState.KEY_ROTATION_STATE_COMPLETED);
      identity.putKey(old, identity.versions.get(old).key(), KeyState.RETIRED);
      identity.putKey(
          identity.rotationTo, identity.versions.get(identity.rotationTo).key(), KeyState.CURRENT);
      identity.current = identity.rotationTo;
      identity.rotationId = null;
      identity.rotationTo = 0;
      plane.publish(identity, old);
      plane.publish(identity, identity.current);
    }
    response.onNext(
        CompleteKeyRotationResponse.newBuilder()
            .setIdentity(proto(identity))
            .setRotation(done)
            .build());
    response.onCompleted();
  }

  @Override
  public void getIdentity(
      GetIdentityRequest request, StreamObserver<GetIdentityResponse> response) {
    if (!request.getAgentId().equals(VerifyingInterceptor.CALLER.get())) {
      response.onError(
          Status.PERMISSION_DENIED
              .withDescription("a bot may get only itself")
              .asRuntimeException());
      return;
    }
    FakeIdentity identity = plane.identity(request.getAgentId());
    GetIdentityResponse.Builder answer = GetIdentityResponse.newBuilder();
    synchronized (identity) {
      answer.setIdentity(proto(identity));
      identity.versions.forEach(
          (version, key) ->
              answer.addKeys(
                  PublicKey.newBuilder()
                      .setAgentId(identity.agentId)
                      .setKeyVersion(version)
                      .setPublicKey(key.key().base64())
                      .setStatus(
                          switch (key.state()) {
                            case CURRENT -> KeyStatus.KEY_STATUS_CURRENT;
                            case NEXT -> KeyStatus.KEY_STATUS_NEXT;
                            case RETIRED -> KeyStatus.KEY_STATUS_RETIRED;
                            case REVOKED -> KeyStatus.KEY_STATUS_REVOKED;
                          })));
    }
    response.onNext(answer.build());
    response.onCompleted();
  }

  private static boolean verifies(VerifyingKey key, String challenge, String signature) {
    try {
      return key.verify(
          challenge.getBytes(StandardCharsets.UTF_8), Base64.getDecoder().decode(signature));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static KeyRotation rotation(FakeIdentity identity, KeyRotationState state) {
    return KeyRotation.newBuilder()
        .setId(identity.rotationId)
        .setAgentId(identity.agentId)
        .setFromKeyVersion(identity.current)
        .setToKeyVersion(identity.rotationTo)
        .setState(state)
        .build();
  }

  private static Identity proto(FakeIdentity identity) {
    synchronized (identity) {
      Identity.Builder proto =
          Identity.newBuilder()
              .setId(identity.agentId)
              .setName(identity.name)
              .setKeyAlgorithm("ed25519")
              .setKeyVersion(identity.current)
              .setPublicKey(identity.versions.get(identity.current).key().base64())
              .setStatus(IdentityStatus.IDENTITY_STATUS_ACTIVE);
      if (identity.rotationId != null) {
        proto.setRotation(
            rotation(
                identity,
                identity.rotationTo == 0
                    ? KeyRotationState.KEY_ROTATION_STATE_AWAITING_KEY
                    : KeyRotationState.KEY_ROTATION_STATE_AWAITING_CONFIRMATION));
      }
      return proto.build();
    }
  }
}
