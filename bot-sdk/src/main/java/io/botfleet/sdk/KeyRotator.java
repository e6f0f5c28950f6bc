package io.botfleet.sdk;

import io.botfleet.identity.v1.CompleteKeyRotationRequest;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.GetIdentityResponse;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.PublicKey;
import io.botfleet.identity.v1.RegisterRotatedKeyRequest;
import io.botfleet.identity.v1.RegisterRotatedKeyResponse;
import io.botfleet.sdk.command.CommandHandler;
import io.botfleet.sdk.command.CommandInfo;
import io.botfleet.sdk.command.CommandResult;
import io.botfleet.sdk.command.KeyRotatedEvent;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.SigningKey;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Carries out {@code rotate_key} without a single refused call: make a new keypair and keep it on
 * disk; register its public key with a request signed by the current key, proving possession;
 * switch the key file and the signer to the new key (both keys verify now); wait until no call
 * signed with the old key is still under way; confirm, which retires the old key.
 *
 * <p>Every step can be repeated: a rotate_key delivered again after a crash finds the key it made
 * before, and a registration or confirmation that already happened is recognised from the
 * identity's key list rather than failed.
 */
final class KeyRotator {

  private static final System.Logger LOG = System.getLogger(KeyRotator.class.getName());

  private final String bot;
  private final IdentityServiceGrpc.IdentityServiceBlockingStub identity;
  private final CredentialStore store;
  private final InFlightCalls inFlight;
  private final CommandHandler handler;
  private final Duration callTimeout;

  KeyRotator(
      String bot,
      IdentityServiceGrpc.IdentityServiceBlockingStub identity,
      CredentialStore store,
      InFlightCalls inFlight,
      CommandHandler handler,
      Duration callTimeout) {
    this.bot = bot;
    this.identity = identity;
    this.store = store;
    this.inFlight = inFlight;
    this.handler = handler;
    this.callTimeout = callTimeout;
  }

  CommandResult rotate(CommandInfo info, String rotationId) throws Exception {
    Credentials old = store.current();
    Optional<CredentialStore.PendingRotation> pending = store.pendingRotation(rotationId);
    SigningKey next;
    if (pending.isPresent()) {
      next = pending.get().key();
    } else {
      next = SigningKey.generate();
      store.savePendingRotation(rotationId, next);
    }
    String publicKey = next.publicKey().base64();
    int newVersion;
    try {
      RegisterRotatedKeyResponse registered =
          stub()
              .registerRotatedKey(
                  RegisterRotatedKeyRequest.newBuilder()
                      .setAgentId(old.agentId())
                      .setRotationId(rotationId)
                      .setNewPublicKey(publicKey)
                      .setChallengeSignature(
                          ProofOfPossession.sign(
                              next,
                              ProofOfPossession.rotationChallenge(
                                  old.agentId(), rotationId, publicKey)))
                      .build());
      newVersion = registered.getKeyVersion();
      awaitEffective(registered);
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code != Status.Code.FAILED_PRECONDITION && code != Status.Code.ALREADY_EXISTS) {
        return CommandResult.failed(
            "RegisterRotatedKey: " + HeartbeatStream.describe(e.getStatus()));
      }
      // Perhaps an earlier attempt got further than it knew: look at the identity's keys.
      GetIdentityResponse known = getIdentity(old.agentId());
      Optional<PublicKey> registered = findKey(known, publicKey);
      if (registered.isPresent()) {
        newVersion = registered.get().getKeyVersion();
      } else if (switchedBeforeCrash(known, old, rotationId)) {
        store.discardPendingRotation(rotationId);
        int from = known.getIdentity().getRotation().getFromKeyVersion();
        return complete(info, rotationId, old.agentId(), from, old.keyVersion());
      } else {
        return CommandResult.failed(
            "RegisterRotatedKey: " + HeartbeatStream.describe(e.getStatus()));
      }
    }

    store.switchTo(new Credentials(old.agentId(), newVersion, next), rotationId);
    LOG.log(
        System.Logger.Level.INFO,
        "{0}: signing with key version {1} (rotation {2})",
        bot,
        newVersion,
        rotationId);
    if (!inFlight.awaitBefore(store.generation(), callTimeout)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "{0}: calls signed with key version {1} still under way after {2}; confirming anyway",
          bot,
          old.keyVersion(),
          callTimeout);
    }
    return complete(info, rotationId, old.agentId(), old.keyVersion(), newVersion);
  }

  /**
   * The new key verifies from the answer's effective_time (identity-service's key propagation
   * delay, 2 s by default): a call signed with it earlier is refused. The e2e key rotation test
   * found CompleteKeyRotation refused when the switch came at once. Waits at most a call timeout.
   */
  private void awaitEffective(RegisterRotatedKeyResponse registered) {
    if (!registered.hasEffectiveTime()) {
      return;
    }
    long effectiveMillis =
        registered.getEffectiveTime().getSeconds() * 1000
            + registered.getEffectiveTime().getNanos() / 1_000_000;
    long wait = Math.min(effectiveMillis - System.currentTimeMillis(), callTimeout.toMillis());
    if (wait > 0) {
      try {
        TimeUnit.MILLISECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private CommandResult complete(
      CommandInfo info, String rotationId, String agentId, int oldVersion, int newVersion) {
    try {
      stub()
          .completeKeyRotation(
              CompleteKeyRotationRequest.newBuilder()
                  .setAgentId(agentId)
                  .setRotationId(rotationId)
                  .build());
    } catch (StatusRuntimeException e) {
      // Completed already (by an earlier attempt, or at the end of the grace period)?
      boolean completed =
          e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION
              && getIdentity(agentId).getIdentity().getKeyVersion() == newVersion;
      if (!completed) {
        return CommandResult.failed(
            "CompleteKeyRotation: "
                + HeartbeatStream.describe(e.getStatus())
                + " (the new key is in use and verifies until the rotation's deadline)");
      }
    }
    handler.keyRotated(new KeyRotatedEvent(info, rotationId, oldVersion, newVersion));
    return CommandResult.done(Map.of("key_version", newVersion));
  }

  /**
   * The key signing now is already the one this rotation introduced; only the confirmation is
   * missing.
   */
  private static boolean switchedBeforeCrash(
      GetIdentityResponse known, Credentials current, String rotationId) {
    var rotation = known.getIdentity().getRotation();
    return rotation.getId().equals(rotationId)
        && rotation.getToKeyVersion() == current.keyVersion()
        && findKey(known, current.key().publicKey().base64())
            .filter(key -> key.getKeyVersion() == current.keyVersion())
            .isPresent();
  }

  private static Optional<PublicKey> findKey(GetIdentityResponse known, String publicKey) {
    return known.getKeysList().stream()
        .filter(key -> samePublicKey(key.getPublicKey(), publicKey))
        .findFirst();
  }

  private GetIdentityResponse getIdentity(String agentId) {
    return stub().getIdentity(GetIdentityRequest.newBuilder().setAgentId(agentId).build());
  }

  private static boolean samePublicKey(String a, String b) {
    try {
      return io.botfleet.signing.VerifyingKey.fromBase64(a)
          .equals(io.botfleet.signing.VerifyingKey.fromBase64(b));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private IdentityServiceGrpc.IdentityServiceBlockingStub stub() {
    return identity.withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
