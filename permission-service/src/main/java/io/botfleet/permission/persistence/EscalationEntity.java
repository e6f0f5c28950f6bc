package io.botfleet.permission.persistence;

import io.botfleet.permission.domain.Escalation;
import io.botfleet.permission.domain.EscalationState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of {@code escalations}. */
@Entity
@Table(name = "escalations")
public class EscalationEntity {

  @Id public UUID id;

  @Column(name = "agent_id")
  public String agentId;

  @Column(name = "bot_name")
  public String botName;

  @Column(name = "old_tier")
  public String oldTier;

  @Column(name = "new_tier")
  public String newTier;

  public String reason;

  @Column(name = "requested_by")
  public String requestedBy;

  @Column(name = "requested_at")
  public OffsetDateTime requestedAt;

  @Column(name = "approval_deadline")
  public OffsetDateTime approvalDeadline;

  @Column(name = "duration_seconds")
  public Long durationSeconds;

  @Enumerated(EnumType.STRING)
  public EscalationState state;

  @Column(name = "decided_by")
  public String decidedBy;

  @Column(name = "decided_at")
  public OffsetDateTime decidedAt;

  @Column(name = "decision_note")
  public String decisionNote;

  @Column(name = "expires_at")
  public OffsetDateTime expiresAt;

  @Column(name = "ended_at")
  public OffsetDateTime endedAt;

  /** The domain view. */
  public Escalation toDomain() {
    return new Escalation(
        id,
        agentId,
        botName,
        oldTier,
        newTier,
        reason,
        requestedBy,
        requestedAt.toInstant(),
        approvalDeadline.toInstant(),
        durationSeconds == null ? null : Duration.ofSeconds(durationSeconds),
        state,
        decidedBy,
        instant(decidedAt),
        decisionNote,
        instant(expiresAt),
        instant(endedAt));
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
