package io.botfleet.identity.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.identity.config.IdentityConfig;
import io.botfleet.identity.domain.Actor;
import io.botfleet.identity.domain.Identity;
import io.botfleet.identity.domain.IdentityStatus;
import io.botfleet.identity.domain.IssuedToken;
import io.botfleet.identity.domain.OneTimeTokens;
import io.botfleet.identity.domain.ProofOfPossession;
import io.botfleet.identity.persistence.EnrollmentTokenEntity;
import io.botfleet.identity.persistence.EnrollmentTokenRepository;
import io.botfleet.identity.persistence.IdentityEntity;
import io.botfleet.signing.SigningKey;
import io.botfleet.signing.VerifyingKey;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Enrollment: an operator issues a one-time token for one pending identity (scoped to its name and
 * group, short-lived, stored as a hash); the identity's owner enrolls the public key it made and
 * proves it holds the private key. A used, expired or foreign token is refused with
 * PERMISSION_DENIED and changes nothing.
 */
@ApplicationScoped
public class EnrollmentService {

  static final Duration MIN_TTL = Duration.ofMinutes(1);
  static final Duration MAX_TTL = Duration.ofDays(7);

  @Inject AgentIdentityService identities;
  @Inject EnrollmentTokenRepository tokens;
  @Inject IdentityEvents events;
  @Inject IdentityConfig config;

  /** A generated enrollment: the identity and its private key, which exists only in this answer. */
  public record GeneratedEnrollment(Identity identity, SigningKey key) {}

  /**
   * Issues a token for a pending identity; earlier unused tokens of that identity stop working.
   *
   * @param ttl its life, or null for the default
   */
  @Transactional
  public IssuedToken createToken(String agentId, Duration ttl, Actor actor) {
    Duration life = ttl == null ? config.enrollmentTokenTtl() : ttl;
    if (life.compareTo(MIN_TTL) < 0 || life.compareTo(MAX_TTL) > 0) {
      throw new InvalidArgumentException("ttl", "must be between 1 minute and 7 days");
    }
    IdentityEntity identity = identities.lock(agentId);
    if (identity.status != IdentityStatus.PENDING_ENROLLMENT) {
      throw BotfleetException.failedPrecondition(
          "IDENTITY_NOT_PENDING",
          "identity " + agentId + " is " + identity.status + "; only a pending identity enrolls",
          Map.of("agent_id", agentId, "status", identity.status.name()));
    }
    tokens.deleteUnused(agentId);
    String token = OneTimeTokens.generate(OneTimeTokens.ENROLLMENT);
    OffsetDateTime now = Timestamps.now();
    EnrollmentTokenEntity row = new EnrollmentTokenEntity();
    row.tokenHash = OneTimeTokens.hashHex(token);
    row.agentId = agentId;
    row.name = identity.name;
    row.group = identity.group;
    row.createdBy = actor.agentId();
    row.createdAt = now;
    row.expiresAt = now.plus(life);
    tokens.persist(row);
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("agent_id", agentId);
    payload.put("name", identity.name);
    payload.put("group", identity.group == null ? "" : identity.group);
    payload.put("expires_at", row.expiresAt.toInstant().toString());
    events.record(identity, "fleet.enrollment_token_created", actor.agentId(), payload);
    Log.infof(
        "Enrollment token issued for %s (%s), expires %s", identity.name, agentId, row.expiresAt);
    return new IssuedToken(
        token, agentId, identity.name, identity.group, row.expiresAt.toInstant());
  }

  /**
   * Enrolls the public key a bot (or an operator) made, after checking the token and the proof of
   * possession (the enrollment challenge signed with the new private key).
   *
   * @param publicKeyAsSent the public key exactly as the request spelled it (it is in the
   *     challenge)
   */
  @Transactional
  public Identity enroll(
      String token, String name, VerifyingKey key, String publicKeyAsSent, byte[] signature) {
    Optional<Identity> done = completedBy(token, name, key, publicKeyAsSent, signature);
    if (done.isPresent()) {
      return done.get();
    }
    IdentityEntity identity = consume(token, name);
    if (!ProofOfPossession.holds(
        key, ProofOfPossession.enrollment(name, publicKeyAsSent, token), signature)) {
      throw new InvalidArgumentException(
          "challenge_signature",
          "does not verify with public_key over the enrollment challenge (docs/protocol.md)");
    }
    identities.requireUnusedKey(key, "public_key");
    return activate(identity, key, false);
  }

  /**
   * A bot whose EnrollBot answer was lost retries with the same token, name and key: the answer is
   * the enrollment that token already made, provided the request proves possession of the enrolled
   * key. Anyone else presenting a used token is refused as before.
   */
  private Optional<Identity> completedBy(
      String token, String name, VerifyingKey key, String publicKeyAsSent, byte[] signature) {
    if (!OneTimeTokens.wellFormed(token, OneTimeTokens.ENROLLMENT)) {
      return Optional.empty();
    }
    String hash = OneTimeTokens.hashHex(token);
    Optional<String> agentId = tokens.agentOf(hash);
    if (agentId.isEmpty()) {
      return Optional.empty();
    }
    IdentityEntity identity = identities.lock(agentId.get());
    Optional<EnrollmentTokenEntity> row = tokens.lockByHash(hash);
    if (row.isEmpty()
        || row.get().usedAt == null
        || !row.get().name.equals(name)
        || identity.status != IdentityStatus.ACTIVE
        || identity.keyVersion != 1) {
      return Optional.empty();
    }
    Identity enrolled = identities.view(identity);
    boolean sameKey = key.equals(enrolled.publicKey());
    boolean proven =
        ProofOfPossession.holds(
            key, ProofOfPossession.enrollment(name, publicKeyAsSent, token), signature);
    return sameKey && proven ? Optional.of(enrolled) : Optional.empty();
  }

  /**
   * Enrolls a keypair made here, for bots that cannot make keys. The private key is returned once
   * and never stored or logged.
   */
  @Transactional
  public GeneratedEnrollment enrollWithGeneratedKey(String token, String name) {
    IdentityEntity identity = consume(token, name);
    SigningKey key = SigningKey.generate();
    return new GeneratedEnrollment(activate(identity, key.publicKey(), true), key);
  }

  /**
   * Checks the token against the identity it names and uses it up; the identity comes back locked.
   * The identity is locked before the token, the order every change of an identity follows.
   */
  private IdentityEntity consume(String token, String name) {
    if (!OneTimeTokens.wellFormed(token, OneTimeTokens.ENROLLMENT)) {
      throw new InvalidArgumentException(
          "token", "must be bfe_ followed by 43 base64url characters");
    }
    String hash = OneTimeTokens.hashHex(token);
    String agentId = tokens.agentOf(hash).orElseThrow(EnrollmentService::unknownToken);
    IdentityEntity identity = identities.lock(agentId);
    EnrollmentTokenEntity row =
        tokens.lockByHash(hash).orElseThrow(EnrollmentService::unknownToken);
    OffsetDateTime now = Timestamps.now();
    if (row.usedAt != null) {
      throw refused("ENROLLMENT_TOKEN_USED", "this enrollment token was used already");
    }
    if (!row.expiresAt.isAfter(now)) {
      throw refused(
          "ENROLLMENT_TOKEN_EXPIRED", "this enrollment token has expired; ask for a new one");
    }
    if (!row.name.equals(name)
        || !identity.name.equals(row.name)
        || !Objects.equals(identity.group, row.group)) {
      throw refused(
          "ENROLLMENT_TOKEN_FOREIGN", "this enrollment token was issued for another identity");
    }
    if (identity.status != IdentityStatus.PENDING_ENROLLMENT) {
      throw refused(
          "IDENTITY_NOT_PENDING", "this identity cannot enroll: it is " + identity.status);
    }
    row.usedAt = now;
    return identity;
  }

  private Identity activate(IdentityEntity identity, VerifyingKey key, boolean generated) {
    identities.activate(identity, key, Timestamps.now());
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("agent_id", identity.id);
    payload.put("name", identity.name);
    payload.put("kind", identity.kind.name());
    payload.put("key_version", 1);
    payload.put("key_generated_by_server", generated);
    if (identity.group != null) {
      payload.put("group", identity.group);
    }
    events.record(identity, "fleet.identity_enrolled", identity.id, payload);
    Log.infof(
        "Enrolled %s %s (%s)%s",
        identity.kind, identity.name, identity.id, generated ? " with a server-made key" : "");
    return identities.view(identity);
  }

  private static BotfleetException unknownToken() {
    return refused("ENROLLMENT_TOKEN_INVALID", "unknown enrollment token");
  }

  private static BotfleetException refused(String reason, String message) {
    return BotfleetException.permissionDenied(reason, message);
  }
}
