package io.botfleet.identity.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.identity.config.IdentityConfig;
import io.botfleet.identity.domain.Actor;
import io.botfleet.identity.domain.Identity;
import io.botfleet.identity.domain.IdentityStatus;
import io.botfleet.identity.domain.KeyRotation;
import io.botfleet.identity.domain.KeyStatus;
import io.botfleet.identity.domain.Kind;
import io.botfleet.identity.domain.ProofOfPossession;
import io.botfleet.identity.domain.RotationState;
import io.botfleet.identity.greenhelix.IdentityRegistry;
import io.botfleet.identity.persistence.IdentityEntity;
import io.botfleet.identity.persistence.IdentityKeyRepository;
import io.botfleet.identity.persistence.IdentityRepository;
import io.botfleet.identity.persistence.KeyFeedQueries;
import io.botfleet.identity.persistence.KeyRotationEntity;
import io.botfleet.identity.persistence.KeyRotationRepository;
import io.botfleet.signing.VerifyingKey;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * Key rotation without downtime, a persisted state machine. BeginKeyRotation → the bot registers a
 * new key in a request signed with its current one (both verify from then on) → the bot confirms
 * with the new key, or the grace period ends → the new key is current and the old one retired. A
 * rotation whose key never came is cancelled at its deadline; the old key stays current.
 */
@ApplicationScoped
public class KeyRotationService {

  static final Duration MIN_GRACE = Duration.ofMinutes(1);
  static final Duration MAX_GRACE = Duration.ofDays(7);

  @Inject AgentIdentityService identities;
  @Inject IdentityRepository identityRows;
  @Inject IdentityKeyRepository keys;
  @Inject KeyRotationRepository rotations;
  @Inject KeyFeedQueries keyFeed;
  @Inject KeyFeedPublisher publisher;
  @Inject IdentityEvents events;
  @Inject IdentityRegistry registry;
  @Inject IdentityConfig config;
  @Inject RotationEndings endings;

  /** A registered new key: the rotation, the key's version, and when the bot should switch. */
  public record RegisteredKey(KeyRotation rotation, int keyVersion, Instant effectiveAt) {}

  /** A completed rotation and the identity with its new current key. */
  public record Completed(Identity identity, KeyRotation rotation) {}

  /**
   * Begins a rotation of an active bot.
   *
   * @param reason why; empty means "manual"
   * @param grace how long the new and old keys may both verify; null for the default
   */
  @Transactional
  public KeyRotation begin(String agentId, String reason, Duration grace, Actor actor) {
    Duration period = grace == null ? config.defaultGracePeriod() : grace;
    if (period.compareTo(MIN_GRACE) < 0 || period.compareTo(MAX_GRACE) > 0) {
      throw new InvalidArgumentException("grace_period", "must be between 1 minute and 7 days");
    }
    if (reason.length() > 256) {
      throw new InvalidArgumentException("reason", "at most 256 characters");
    }
    IdentityEntity identity = identities.lock(agentId);
    if (identity.kind != Kind.BOT) {
      throw BotfleetException.failedPrecondition(
          "NOT_A_BOT",
          "only bots rotate through BeginKeyRotation; an operator enrolls a new identity, a"
              + " service's key rotates through configuration (docs/operations.md)",
          Map.of("agent_id", agentId));
    }
    requireActive(identity);
    rotations
        .findInProgress(agentId)
        .ifPresent(
            running -> {
              throw BotfleetException.failedPrecondition(
                  "ROTATION_IN_PROGRESS",
                  "identity " + agentId + " is already rotating its key",
                  Map.of("agent_id", agentId, "rotation_id", running.id.toString()));
            });
    OffsetDateTime now = Timestamps.now();
    KeyRotationEntity rotation = new KeyRotationEntity();
    rotation.id = UUID.randomUUID();
    rotation.agentId = agentId;
    rotation.fromKeyVersion = identity.keyVersion;
    rotation.toKeyVersion = identity.keyVersion + 1;
    rotation.state = RotationState.AWAITING_KEY;
    rotation.reason = reason.isBlank() ? "manual" : reason;
    rotation.requestedBy = actor.agentId();
    rotation.gracePeriodSeconds = period.toSeconds();
    rotation.beginAt = now;
    rotation.deadlineAt = now.plus(period);
    rotations.persist(rotation);
    endings.event(identity, rotation, "fleet.key_rotation_begun", actor.agentId(), Map.of());
    Log.infof("Key rotation %s of %s begun (%s)", rotation.id, agentId, rotation.reason);
    return rotation.toDomain();
  }

  /**
   * The rotating bot registers its new public key, in a request signed with its current key, with
   * the rotation challenge signed by the new private key. From then on both versions verify, until
   * the bot confirms or {@code grace} after now.
   */
  @Transactional
  public RegisteredKey registerKey(
      String agentId,
      String rotationId,
      VerifyingKey key,
      String keyAsSent,
      byte[] signature,
      Actor actor) {
    IdentityEntity identity = identities.lock(agentId);
    KeyRotationEntity rotation = find(agentId, rotationId);
    requireActive(identity);
    if (rotation.state != RotationState.AWAITING_KEY) {
      throw notInState(rotation, "is not waiting for a new key");
    }
    if (actor.keyVersion() != rotation.fromKeyVersion) {
      throw BotfleetException.permissionDenied(
          "ROTATION_NOT_SIGNED_WITH_CURRENT_KEY",
          "register the new key in a request signed with the current key (version "
              + rotation.fromKeyVersion
              + ")");
    }
    if (!ProofOfPossession.holds(
        key, ProofOfPossession.rotation(agentId, rotationId, keyAsSent), signature)) {
      throw new InvalidArgumentException(
          "challenge_signature",
          "does not verify with new_public_key over the rotation challenge (docs/protocol.md)");
    }
    identities.requireUnusedKey(key, "new_public_key");
    OffsetDateTime now = Timestamps.now();
    keys.add(agentId, rotation.toKeyVersion, key.raw(), KeyStatus.NEXT, now);
    rotation.state = RotationState.AWAITING_CONFIRMATION;
    rotation.keyRegisteredAt = now;
    rotation.deadlineAt = now.plusSeconds(rotation.gracePeriodSeconds);
    keyFeed.recordUpsert(agentId, rotation.toKeyVersion);
    publisher.announce();
    registry.submitRotationMetrics(identity, rotation.toKeyVersion, now.toInstant());
    Instant effective = now.toInstant().plus(config.keyPropagationDelay());
    endings.event(
        identity,
        rotation,
        "fleet.key_rotation_key_registered",
        actor.agentId(),
        Map.of("effective_at", effective.toString()));
    Log.infof("Key version %d of %s registered (NEXT)", rotation.toKeyVersion, agentId);
    return new RegisteredKey(rotation.toDomain(), rotation.toKeyVersion, effective);
  }

  /**
   * Confirms the switch: the new version becomes current, the old one retired. A bot confirms in a
   * request signed with the new key, which proves it has switched before its old key stops working.
   */
  @Transactional
  public Completed complete(String agentId, String rotationId, Actor actor) {
    IdentityEntity identity = identities.lock(agentId);
    KeyRotationEntity rotation = find(agentId, rotationId);
    if (rotation.state != RotationState.AWAITING_CONFIRMATION) {
      throw notInState(rotation, "cannot be completed");
    }
    if (actor.isBot() && actor.keyVersion() != rotation.toKeyVersion) {
      throw BotfleetException.failedPrecondition(
          "CONFIRM_WITH_NEW_KEY",
          "confirm the rotation in a request signed with the new key (version "
              + rotation.toKeyVersion
              + "), so the old key stops working only once you use the new one",
          Map.of("agent_id", agentId, "rotation_id", rotationId));
    }
    endings.finish(identity, rotation, actor.agentId(), false);
    return new Completed(identities.view(identity), rotation.toDomain());
  }

  private KeyRotationEntity find(String agentId, String rotationId) {
    UUID id;
    try {
      id = UUID.fromString(rotationId);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("rotation_id", "must be a rotation id (a UUID)");
    }
    return rotations
        .findByIdOptional(id)
        .filter(r -> r.agentId.equals(agentId))
        .orElseThrow(
            () ->
                BotfleetException.notFound(
                    "ROTATION_NOT_FOUND",
                    "identity " + agentId + " has no rotation " + rotationId,
                    Map.of("agent_id", agentId, "rotation_id", rotationId)));
  }

  private static void requireActive(IdentityEntity identity) {
    if (identity.status != IdentityStatus.ACTIVE) {
      throw BotfleetException.failedPrecondition(
          "IDENTITY_NOT_ACTIVE",
          "identity "
              + identity.id
              + " is "
              + identity.status
              + "; only an active identity rotates",
          Map.of("agent_id", identity.id, "status", identity.status.name()));
    }
  }

  private static BotfleetException notInState(KeyRotationEntity rotation, String what) {
    String reason =
        switch (rotation.state) {
          case AWAITING_KEY -> "ROTATION_KEY_NOT_REGISTERED";
          case AWAITING_CONFIRMATION -> "ROTATION_KEY_ALREADY_REGISTERED";
          case COMPLETED -> "ROTATION_ALREADY_COMPLETED";
          case CANCELLED -> "ROTATION_CANCELLED";
        };
    return BotfleetException.failedPrecondition(
        reason,
        "rotation " + rotation.id + " is " + rotation.state + " and " + what,
        Map.of(
            "agent_id", rotation.agentId,
            "rotation_id", rotation.id.toString(),
            "state", rotation.state.name()));
  }
}
