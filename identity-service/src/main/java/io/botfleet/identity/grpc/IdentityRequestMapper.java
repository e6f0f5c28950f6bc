package io.botfleet.identity.grpc;

import com.google.protobuf.Timestamp;
import io.botfleet.common.auth.Caller;
import io.botfleet.common.auth.Principal;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.common.error.Violations;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.identity.domain.Actor;
import io.botfleet.identity.domain.IdentityFilter;
import io.botfleet.identity.domain.IdentityStatus;
import io.botfleet.identity.domain.Kind;
import io.botfleet.identity.v1.BootstrapAdminRequest;
import io.botfleet.identity.v1.EnrollBotRequest;
import io.botfleet.identity.v1.EnrollBotWithGeneratedKeyRequest;
import io.botfleet.identity.v1.ListIdentitiesRequest;
import io.botfleet.identity.v1.RegisterRotatedKeyRequest;
import io.botfleet.identity.v1.VerifySignatureRequest;
import io.botfleet.signing.VerifyingKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** Reads the fields of identity.v1 requests into the service's types, naming each bad field. */
final class IdentityRequestMapper {

  private IdentityRequestMapper() {}

  private static final int MAX_MESSAGE = 1 << 20;

  /**
   * A public key a request registers, with its proof of possession.
   *
   * @param key the key
   * @param asSent the key exactly as the request spelled it (it is part of the challenge)
   * @param signature the challenge signature
   */
  record KeyClaim(VerifyingKey key, String asSent, byte[] signature) {}

  /** The key claim of a BootstrapAdmin request; INVALID_ARGUMENT naming each bad field. */
  static KeyClaim bootstrap(BootstrapAdminRequest request) {
    Violations violations = new Violations();
    required(request.getBootstrapToken(), "bootstrap_token", violations);
    return claim(request.getPublicKey(), "public_key", request.getChallengeSignature(), violations);
  }

  /** The key claim of an EnrollBot request; INVALID_ARGUMENT naming each bad field. */
  static KeyClaim enrollment(EnrollBotRequest request) {
    Violations violations = new Violations();
    required(request.getToken(), "token", violations);
    required(request.getName(), "name", violations);
    return claim(request.getPublicKey(), "public_key", request.getChallengeSignature(), violations);
  }

  /** Checks an EnrollBotWithGeneratedKey request; INVALID_ARGUMENT naming each bad field. */
  static void enrollment(EnrollBotWithGeneratedKeyRequest request) {
    Violations violations = new Violations();
    required(request.getToken(), "token", violations);
    required(request.getName(), "name", violations);
    violations.throwIfAny();
  }

  /** The key claim of a RegisterRotatedKey request; INVALID_ARGUMENT naming each bad field. */
  static KeyClaim rotatedKey(RegisterRotatedKeyRequest request) {
    Violations violations = new Violations();
    required(request.getRotationId(), "rotation_id", violations);
    return claim(
        request.getNewPublicKey(), "new_public_key", request.getChallengeSignature(), violations);
  }

  /** Checks a VerifySignature request; INVALID_ARGUMENT naming each bad field. */
  static void check(VerifySignatureRequest request) {
    Violations violations = new Violations();
    required(request.getAgentId(), "agent_id", violations);
    violations.require(request.getKeyVersion() >= 1, "key_version", "must be 1 or more");
    violations.require(request.getMessage().size() <= MAX_MESSAGE, "message", "at most 1 MiB");
    violations.require(
        request.getSignature().size() == VerifyingKey.SIGNATURE_SIZE,
        "signature",
        "must be 64 bytes, got " + request.getSignature().size());
    violations.throwIfAny();
  }

  private static KeyClaim claim(
      String publicKey, String keyField, String signature, Violations violations) {
    VerifyingKey key = publicKey(publicKey, keyField, violations);
    byte[] bytes = signature(signature, "challenge_signature", violations);
    violations.throwIfAny();
    return new KeyClaim(key, publicKey, bytes);
  }

  /** The authenticated caller as the service layer sees it. */
  static Actor actor() {
    Principal principal = Caller.current();
    Kind kind =
        principal.kind() == PrincipalKind.PRINCIPAL_KIND_UNSPECIFIED
            ? null
            : IdentityMapper.toKind(principal.kind());
    return new Actor(
        principal.agentId(),
        kind,
        IdentityMapper.toRole(principal.operatorRole()),
        Caller.keyVersion());
  }

  /** The agent id of a request; INVALID_ARGUMENT if it is empty. */
  static String agentId(String agentId) {
    if (agentId == null || agentId.isBlank()) {
      throw new InvalidArgumentException("agent_id", "is required");
    }
    return agentId;
  }

  /** A public key, or null after recording why it is not one. */
  private static VerifyingKey publicKey(String value, String field, Violations violations) {
    if (value == null || value.isEmpty()) {
      violations.add(field, "is required (32 bytes, base64)");
      return null;
    }
    try {
      return VerifyingKey.fromBase64(value);
    } catch (IllegalArgumentException e) {
      violations.add(field, e.getMessage() + " (32 bytes, base64)");
      return null;
    }
  }

  /** A 64-byte signature in standard base64, or null after recording why it is not one. */
  private static byte[] signature(String value, String field, Violations violations) {
    if (value == null || value.isEmpty()) {
      violations.add(field, "is required (64 bytes, base64)");
      return null;
    }
    try {
      byte[] signature = Base64.getDecoder().decode(value.trim());
      if (signature.length != VerifyingKey.SIGNATURE_SIZE) {
        violations.add(field, "must be 64 bytes, got " + signature.length);
        return null;
      }
      return signature;
    } catch (IllegalArgumentException e) {
      violations.add(field, "is not valid base64");
      return null;
    }
  }

  /** A required text field. */
  private static void required(String value, String field, Violations violations) {
    violations.require(value != null && !value.isBlank(), field, "is required");
  }

  /** A protobuf Duration as a java.time Duration, or null when unset. */
  static Duration duration(boolean set, com.google.protobuf.Duration value) {
    return set ? Duration.ofSeconds(value.getSeconds(), value.getNanos()) : null;
  }

  /** The filters of a ListIdentities request. */
  static IdentityFilter filter(ListIdentitiesRequest request) {
    return new IdentityFilter(
        request.getKind() == PrincipalKind.PRINCIPAL_KIND_UNSPECIFIED
            ? null
            : IdentityMapper.toKind(request.getKind()),
        blankToNull(request.getGroup()),
        blankToNull(request.getExchange()),
        switch (request.getStatus()) {
          case IDENTITY_STATUS_PENDING_ENROLLMENT -> IdentityStatus.PENDING_ENROLLMENT;
          case IDENTITY_STATUS_ACTIVE -> IdentityStatus.ACTIVE;
          case IDENTITY_STATUS_REVOKED -> IdentityStatus.REVOKED;
          default -> null;
        },
        blankToNull(request.getOrganization()),
        request.hasRotationDueBefore() ? instant(request.getRotationDueBefore()) : null);
  }

  private static Instant instant(Timestamp time) {
    return Instant.ofEpochSecond(time.getSeconds(), time.getNanos());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
