package io.botfleet.identity.persistence;

import io.botfleet.identity.domain.KeyRotation;
import io.botfleet.identity.domain.RotationState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of {@code key_rotations}. */
@Entity
@Table(name = "key_rotations")
public class KeyRotationEntity {

  @Id public UUID id;

  @Column(name = "agent_id")
  public String agentId;

  @Column(name = "from_key_version")
  public int fromKeyVersion;

  @Column(name = "to_key_version")
  public int toKeyVersion;

  @Enumerated(EnumType.STRING)
  public RotationState state;

  public String reason;

  @Column(name = "requested_by")
  public String requestedBy;

  @Column(name = "grace_period_seconds")
  public long gracePeriodSeconds;

  @Column(name = "begin_at")
  public OffsetDateTime beginAt;

  @Column(name = "key_registered_at")
  public OffsetDateTime keyRegisteredAt;

  @Column(name = "deadline_at")
  public OffsetDateTime deadlineAt;

  @Column(name = "end_at")
  public OffsetDateTime endAt;

  @Column(name = "end_reason")
  public String endReason;

  /** The domain view. */
  public KeyRotation toDomain() {
    return new KeyRotation(
        id.toString(),
        agentId,
        fromKeyVersion,
        toKeyVersion,
        state,
        reason,
        requestedBy,
        beginAt.toInstant(),
        keyRegisteredAt == null ? null : keyRegisteredAt.toInstant(),
        deadlineAt.toInstant(),
        endAt == null ? null : endAt.toInstant());
  }
}
