package io.botfleet.identity.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.identity.domain.Actor;
import io.botfleet.identity.domain.Identity;
import io.botfleet.identity.domain.IdentityStatus;
import io.botfleet.identity.domain.KeyStatus;
import io.botfleet.identity.domain.Kind;
import io.botfleet.identity.persistence.EnrollmentTokenRepository;
import io.botfleet.identity.persistence.IdentityEntity;
import io.botfleet.identity.persistence.IdentityKeyEntity;
import io.botfleet.identity.persistence.IdentityKeyRepository;
import io.botfleet.identity.persistence.KeyFeedQueries;
import io.botfleet.identity.persistence.KeyRotationRepository;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Revocation: destructive and immediate. Every key version of the identity stops verifying, in
 * every service, through one IDENTITY_REVOKED change on the key feed (which also closes the
 * identity's open streams); its rotation in progress is cancelled and its enrollment tokens void.
 * The id is never used again. botfleet holds no private key, so there is none to destroy here: the
 * bot destroys its own (fleet-service's emergency_stop with destroy_local_keys).
 */
@ApplicationScoped
public class RevocationService {

  @Inject AgentIdentityService identities;
  @Inject IdentityKeyRepository keys;
  @Inject KeyRotationRepository rotations;
  @Inject RotationEndings endings;
  @Inject EnrollmentTokenRepository tokens;
  @Inject KeyFeedQueries keyFeed;
  @Inject KeyFeedPublisher publisher;
  @Inject IdentityEvents events;

  /**
   * Revokes an identity. Revoking one that is revoked already changes nothing and answers it as it
   * is, so a caller may retry. Only an administrator revokes an operator; a botfleet service's
   * identity is never revoked here (its key is replaced through configuration).
   */
  @Transactional
  public Identity revoke(String agentId, String reason, Actor actor) {
    if (reason == null || reason.isBlank() || reason.length() > 1024) {
      throw new InvalidArgumentException("reason", "is required, at most 1024 characters");
    }
    IdentityEntity identity = identities.lock(agentId);
    if (identity.kind == Kind.SERVICE) {
      throw BotfleetException.failedPrecondition(
          "SERVICE_IDENTITY",
          "a service identity is not revoked; replace its key in"
              + " botfleet.identity.service-public-keys (docs/operations.md)",
          Map.of("agent_id", agentId));
    }
    if (identity.kind == Kind.OPERATOR && !actor.isAdmin()) {
      throw BotfleetException.permissionDenied(
          "ADMIN_REQUIRED", "only an administrator may revoke an operator");
    }
    if (identity.status == IdentityStatus.REVOKED) {
      return identities.view(identity);
    }
    OffsetDateTime now = Timestamps.now();
    rotations
        .findInProgress(agentId)
        .ifPresent(
            rotation -> endings.cancel(identity, rotation, actor.agentId(), "identity revoked"));
    for (IdentityKeyEntity key : keys.listFor(agentId)) {
      key.status = KeyStatus.REVOKED;
      if (key.retiredAt == null) {
        key.retiredAt = now;
      }
    }
    tokens.deleteUnused(agentId);
    int versionRevoked = identity.keyVersion;
    identity.status = IdentityStatus.REVOKED;
    identity.revokedAt = now;
    identity.revokeReason = reason;
    identity.nextRotationAt = null;
    keyFeed.recordRevocation(agentId);
    publisher.announce();
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("revoked_agent_id", agentId);
    payload.put("bot_name", identity.name);
    payload.put("reason", reason);
    payload.put("revoked_at", now.toInstant().toString());
    payload.put("key_version_revoked", versionRevoked);
    events.record(identity, "fleet.identity_revoked", actor.agentId(), payload);
    Log.infof(
        "Revoked %s %s (%s) at key version %d: %s",
        identity.kind, identity.name, agentId, versionRevoked, reason);
    return identities.view(identity);
  }
}
