package io.botfleet.identity.persistence;

import io.botfleet.identity.domain.Identity;
import io.botfleet.identity.domain.IdentityStatus;
import io.botfleet.identity.domain.KeyRotation;
import io.botfleet.identity.domain.Kind;
import io.botfleet.identity.domain.OperatorRole;
import io.botfleet.signing.VerifyingKey;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code identities}. */
@Entity
@Table(name = "identities")
public class IdentityEntity {

  @Id public String id;

  public String name;

  public String organization;

  @Enumerated(EnumType.STRING)
  public Kind kind;

  @Enumerated(EnumType.STRING)
  @Column(name = "operator_role")
  public OperatorRole operatorRole;

  public String role;

  @Column(name = "fleet_manager")
  public String fleetManager;

  @Column(name = "bot_group")
  public String group;

  public String exchange;

  public String strategy;

  public String version;

  @JdbcTypeCode(SqlTypes.ARRAY)
  public List<String> capabilities;

  @Column(name = "max_position_usd")
  public BigDecimal maxPositionUsd;

  @JdbcTypeCode(SqlTypes.JSON)
  public Map<String, String> metadata;

  public String description;

  @Enumerated(EnumType.STRING)
  public IdentityStatus status;

  @Column(name = "key_version")
  public int keyVersion;

  @Column(name = "greenhelix_agent_id")
  public String greenhelixAgentId;

  @Column(name = "request_id")
  public String requestId;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  @Column(name = "revoked_at")
  public OffsetDateTime revokedAt;

  @Column(name = "revoke_reason")
  public String revokeReason;

  @Column(name = "next_rotation_at")
  public OffsetDateTime nextRotationAt;

  /**
   * The domain view, with the current public key (null while pending enrollment) and the rotation
   * in progress (or null).
   */
  public Identity toDomain(VerifyingKey currentKey, KeyRotation rotation) {
    return new Identity(
        id,
        name,
        organization,
        kind,
        operatorRole,
        role,
        fleetManager,
        group,
        exchange,
        strategy,
        version,
        List.copyOf(capabilities),
        maxPositionUsd,
        Map.copyOf(metadata),
        status,
        keyVersion,
        currentKey,
        greenhelixAgentId,
        createdAt.toInstant(),
        revokedAt == null ? null : revokedAt.toInstant(),
        revokeReason,
        nextRotationAt == null ? null : nextRotationAt.toInstant(),
        rotation);
  }
}
