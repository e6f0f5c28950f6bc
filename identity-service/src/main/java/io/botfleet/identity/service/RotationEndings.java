package io.botfleet.identity.service;

import io.botfleet.identity.config.IdentityConfig;
import io.botfleet.identity.domain.Actor;
import io.botfleet.identity.domain.KeyStatus;
import io.botfleet.identity.domain.RotationState;
import io.botfleet.identity.persistence.IdentityEntity;
import io.botfleet.identity.persistence.IdentityKeyEntity;
import io.botfleet.identity.persistence.IdentityKeyRepository;
import io.botfleet.identity.persistence.IdentityRepository;
import io.botfleet.identity.persistence.KeyFeedQueries;
import io.botfleet.identity.persistence.KeyRotationEntity;
import io.botfleet.identity.persistence.KeyRotationRepository;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How rotations end: completed (the new key becomes current, the old one retired) when the bot
 * confirms or its grace period ends, or cancelled when no key came in time or the bot was revoked.
 * Callers hold the identity's row lock.
 */
@ApplicationScoped
public class RotationEndings {

  @Inject IdentityRepository identityRows;
  @Inject IdentityKeyRepository keys;
  @Inject KeyRotationRepository rotations;
  @Inject KeyFeedQueries keyFeed;
  @Inject KeyFeedPublisher publisher;
  @Inject IdentityEvents events;
  @Inject IdentityConfig config;

  /**
   * Ends the rotation of {@code agentId} if its deadline passed: completes it if the new key was
   * registered, else cancels it. Skips an identity another transaction holds (it is retried at the
   * next check), so replicas never act on the same rotation twice. Returns true if it acted.
   */
  @Transactional
  public boolean settleDeadline(String agentId) {
    IdentityEntity identity = identityRows.tryLock(agentId).orElse(null);
    if (identity == null) {
      return false;
    }
    KeyRotationEntity rotation = rotations.findInProgress(agentId).orElse(null);
    if (rotation == null || rotation.deadlineAt.isAfter(Timestamps.now())) {
      return false;
    }
    if (rotation.state == RotationState.AWAITING_CONFIRMATION) {
      finish(identity, rotation, Actor.SYSTEM.agentId(), true);
    } else {
      cancel(identity, rotation, Actor.SYSTEM.agentId(), "no new key was registered in time");
    }
    return true;
  }

  /** Cancels a rotation in progress (its deadline passed without a key, or the bot was revoked). */
  public void cancel(
      IdentityEntity identity, KeyRotationEntity rotation, String actor, String why) {
    rotation.state = RotationState.CANCELLED;
    rotation.endAt = Timestamps.now();
    rotation.endReason = why;
    event(identity, rotation, "fleet.key_rotation_cancelled", actor, Map.of("why", why));
    Log.infof("Key rotation %s of %s cancelled: %s", rotation.id, identity.id, why);
  }

  public void finish(
      IdentityEntity identity, KeyRotationEntity rotation, String actor, boolean automatic) {
    OffsetDateTime now = Timestamps.now();
    IdentityKeyEntity next = keys.find(identity.id, rotation.toKeyVersion).orElseThrow();
    IdentityKeyEntity old = keys.find(identity.id, rotation.fromKeyVersion).orElseThrow();
    next.status = KeyStatus.CURRENT;
    old.status = KeyStatus.RETIRED;
    old.retiredAt = now;
    identity.keyVersion = rotation.toKeyVersion;
    identity.nextRotationAt = now.plus(config.rotationPeriod());
    rotation.state = RotationState.COMPLETED;
    rotation.endAt = now;
    rotation.endReason = automatic ? "grace period ended" : "confirmed";
    // The new version first: a verifier that applies one change at a time always holds a key.
    keyFeed.recordUpsert(identity.id, rotation.toKeyVersion);
    keyFeed.recordUpsert(identity.id, rotation.fromKeyVersion);
    publisher.announce();
    event(
        identity,
        rotation,
        "fleet.key_rotated",
        actor,
        Map.of("rotation_timestamp", now.toInstant().toString(), "automatic", automatic));
    Log.infof(
        "Key rotation %s of %s completed%s: version %d current, %d retired",
        rotation.id,
        identity.id,
        automatic ? " at the end of its grace period" : "",
        rotation.toKeyVersion,
        rotation.fromKeyVersion);
  }

  /** Records a rotation event with the fields every rotation event carries, plus {@code extra}. */
  public void event(
      IdentityEntity identity,
      KeyRotationEntity rotation,
      String type,
      String actor,
      Map<String, Object> extra) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("agent_id", identity.id);
    payload.put("bot_name", identity.name);
    payload.put("rotation_id", rotation.id.toString());
    payload.put("from_key_version", rotation.fromKeyVersion);
    payload.put("key_version", rotation.toKeyVersion);
    payload.put("reason", rotation.reason);
    payload.put("deadline", rotation.deadlineAt.toInstant().toString());
    payload.putAll(extra);
    events.record(identity, type, actor, payload);
  }
}
