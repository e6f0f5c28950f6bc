package io.botfleet.identity.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.botfleet.common.error.Violations;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.identity.domain.FeedKey;
import io.botfleet.identity.domain.Identity;
import io.botfleet.identity.domain.IdentityStatus;
import io.botfleet.identity.domain.IssuedToken;
import io.botfleet.identity.domain.KeyRotation;
import io.botfleet.identity.domain.KeyVersion;
import io.botfleet.identity.domain.Kind;
import io.botfleet.identity.domain.Registration;
import io.botfleet.identity.domain.RegistryCheck;
import io.botfleet.identity.domain.RegistryMatch;
import io.botfleet.identity.domain.SignatureCheck;
import io.botfleet.identity.v1.AgentKey;
import io.botfleet.identity.v1.CreateEnrollmentTokenResponse;
import io.botfleet.identity.v1.KeyRotationState;
import io.botfleet.identity.v1.KeyStatus;
import io.botfleet.identity.v1.PublicKey;
import io.botfleet.identity.v1.RegisterAgentRequest;
import io.botfleet.identity.v1.VerifyIdentityResponse;
import io.botfleet.identity.v1.VerifySignatureResponse;
import io.botfleet.signing.VerifyingKey;
import java.math.BigDecimal;
import java.time.Instant;

/** Translates between identity.v1 messages and the service's own types. */
final class IdentityMapper {

  private IdentityMapper() {}

  /** A registration from its request; INVALID_ARGUMENT naming each malformed field. */
  static Registration toRegistration(RegisterAgentRequest request) {
    Violations violations = new Violations();
    Kind kind = toKind(request.getKind());
    violations.require(kind != null, "kind", "must be BOT, OPERATOR or SERVICE");
    io.botfleet.identity.domain.OperatorRole role = toRole(request.getOperatorRole());
    BigDecimal maxPosition = null;
    if (!request.getMaxPositionUsd().isEmpty()) {
      try {
        maxPosition = new BigDecimal(request.getMaxPositionUsd());
      } catch (NumberFormatException e) {
        violations.add(
            "max_position_usd", "must be a decimal number, got " + request.getMaxPositionUsd());
      }
    }
    VerifyingKey publicKey = null;
    if (!request.getPublicKey().isEmpty()) {
      try {
        publicKey = VerifyingKey.fromBase64(request.getPublicKey());
      } catch (IllegalArgumentException e) {
        violations.add("public_key", e.getMessage());
      }
    }
    violations.throwIfAny();
    return new Registration(
        request.getName(),
        request.getOrganization(),
        kind,
        role,
        request.getRole(),
        request.getFleetManager(),
        request.getGroup(),
        request.getExchange(),
        request.getStrategy(),
        request.getVersion(),
        request.getCapabilitiesList(),
        maxPosition,
        request.getMetadataMap(),
        publicKey,
        request.getDescription(),
        request.getRequestId());
  }

  static io.botfleet.identity.v1.Identity toProto(Identity e) {
    io.botfleet.identity.v1.Identity.Builder identity =
        io.botfleet.identity.v1.Identity.newBuilder()
            .setId(e.id())
            .setName(e.name())
            .setOrganization(e.organization())
            .setKind(toProto(e.kind()))
            .setOperatorRole(toProto(e.operatorRole()))
            .setRole(e.role())
            .setFleetManager(orEmpty(e.fleetManager()))
            .setGroup(orEmpty(e.group()))
            .setExchange(orEmpty(e.exchange()))
            .setStrategy(orEmpty(e.strategy()))
            .setVersion(orEmpty(e.version()))
            .addAllCapabilities(e.capabilities())
            .setMaxPositionUsd(e.maxPositionUsd() == null ? "" : e.maxPositionUsd().toPlainString())
            .putAllMetadata(e.metadata())
            .setKeyAlgorithm("ed25519")
            .setKeyVersion(e.keyVersion())
            .setStatus(toProto(e.status()))
            .setCreateTime(toTimestamp(e.createdAt()))
            .setRevokeReason(orEmpty(e.revokeReason()))
            .setGreenhelixAgentId(orEmpty(e.greenhelixAgentId()));
    if (e.publicKey() != null) {
      identity.setPublicKey(e.publicKey().base64());
    }
    if (e.revokedAt() != null) {
      identity.setRevokeTime(toTimestamp(e.revokedAt()));
    }
    if (e.nextRotationAt() != null) {
      identity.setNextRotationTime(toTimestamp(e.nextRotationAt()));
    }
    if (e.rotation() != null) {
      identity.setRotation(toProto(e.rotation()));
    }
    return identity.build();
  }

  static io.botfleet.identity.v1.KeyRotation toProto(KeyRotation r) {
    io.botfleet.identity.v1.KeyRotation.Builder rotation =
        io.botfleet.identity.v1.KeyRotation.newBuilder()
            .setId(r.id())
            .setAgentId(r.agentId())
            .setFromKeyVersion(r.fromKeyVersion())
            .setToKeyVersion(r.toKeyVersion())
            .setState(KeyRotationState.valueOf("KEY_ROTATION_STATE_" + r.state().name()))
            .setReason(r.reason())
            .setRequestedBy(r.requestedBy())
            .setBeginTime(toTimestamp(r.beginAt()))
            .setDeadlineTime(toTimestamp(r.deadlineAt()));
    if (r.endAt() != null) {
      rotation.setEndTime(toTimestamp(r.endAt()));
    }
    return rotation.build();
  }

  static KeyStatus toProto(io.botfleet.identity.domain.KeyStatus status) {
    return KeyStatus.valueOf("KEY_STATUS_" + status.name());
  }

  static CreateEnrollmentTokenResponse toProto(IssuedToken token) {
    return CreateEnrollmentTokenResponse.newBuilder()
        .setToken(token.token())
        .setAgentId(token.agentId())
        .setName(token.name())
        .setGroup(orEmpty(token.group()))
        .setExpireTime(toTimestamp(token.expiresAt()))
        .build();
  }

  static VerifyIdentityResponse toProto(RegistryCheck check) {
    return VerifyIdentityResponse.newBuilder()
        .setMatch(toProto(check.match()))
        .setLocalPublicKey(check.localPublicKey())
        .setRegistryPublicKey(check.registryPublicKey())
        .setMessage(check.message())
        .build();
  }

  static VerifySignatureResponse toProto(SignatureCheck check) {
    return VerifySignatureResponse.newBuilder()
        .setValid(check.valid())
        .setKeyStatus(toProto(check.keyStatus()))
        .setIdentityStatus(toProto(check.identityStatus()))
        .build();
  }

  static io.botfleet.identity.v1.RegistryMatch toProto(RegistryMatch match) {
    return io.botfleet.identity.v1.RegistryMatch.valueOf("REGISTRY_MATCH_" + match.name());
  }

  static PublicKey toProto(KeyVersion key) {
    PublicKey.Builder proto =
        PublicKey.newBuilder()
            .setAgentId(key.agentId())
            .setKeyVersion(key.version())
            .setPublicKey(key.publicKey().base64())
            .setStatus(KeyStatus.valueOf("KEY_STATUS_" + key.status().name()))
            .setCreateTime(toTimestamp(key.createdAt()));
    if (key.retiredAt() != null) {
      proto.setRetireTime(toTimestamp(key.retiredAt()));
    }
    return proto.build();
  }

  static AgentKey toProto(FeedKey key) {
    return AgentKey.newBuilder()
        .setAgentId(key.agentId())
        .setKind(toProto(key.kind()))
        .setOperatorRole(toProto(key.operatorRole()))
        .setName(key.name())
        .setKeyVersion(key.keyVersion())
        .setPublicKey(ByteString.copyFrom(key.publicKey().raw()))
        .setStatus(KeyStatus.valueOf("KEY_STATUS_" + key.status().name()))
        .build();
  }

  static Kind toKind(PrincipalKind kind) {
    return switch (kind) {
      case PRINCIPAL_KIND_BOT -> Kind.BOT;
      case PRINCIPAL_KIND_OPERATOR -> Kind.OPERATOR;
      case PRINCIPAL_KIND_SERVICE -> Kind.SERVICE;
      default -> null;
    };
  }

  static io.botfleet.identity.domain.OperatorRole toRole(OperatorRole role) {
    return switch (role) {
      case OPERATOR_ROLE_VIEWER -> io.botfleet.identity.domain.OperatorRole.VIEWER;
      case OPERATOR_ROLE_OPERATOR -> io.botfleet.identity.domain.OperatorRole.OPERATOR;
      case OPERATOR_ROLE_ADMIN -> io.botfleet.identity.domain.OperatorRole.ADMIN;
      default -> null;
    };
  }

  private static PrincipalKind toProto(Kind kind) {
    return PrincipalKind.valueOf("PRINCIPAL_KIND_" + kind.name());
  }

  private static OperatorRole toProto(io.botfleet.identity.domain.OperatorRole role) {
    return role == null
        ? OperatorRole.OPERATOR_ROLE_UNSPECIFIED
        : OperatorRole.valueOf("OPERATOR_ROLE_" + role.name());
  }

  private static io.botfleet.identity.v1.IdentityStatus toProto(IdentityStatus status) {
    return io.botfleet.identity.v1.IdentityStatus.valueOf("IDENTITY_STATUS_" + status.name());
  }

  static Timestamp toTimestamp(Instant time) {
    return Timestamp.newBuilder()
        .setSeconds(time.getEpochSecond())
        .setNanos(time.getNano())
        .build();
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
