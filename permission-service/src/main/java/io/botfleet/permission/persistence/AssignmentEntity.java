package io.botfleet.permission.persistence;

import io.botfleet.permission.domain.Assignment;
import io.botfleet.permission.domain.BotRole;
import io.botfleet.permission.domain.InstrumentPattern;
import io.botfleet.permission.domain.Restrictions;
import io.botfleet.permission.domain.Suspension;
import io.botfleet.permission.domain.SuspensionMode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code assignments}. */
@Entity
@Table(name = "assignments")
public class AssignmentEntity {

  @Id
  @Column(name = "agent_id")
  public String agentId;

  @Column(name = "bot_name")
  public String botName;

  @Column(name = "bot_group")
  public String group;

  public String role;

  public String exchange;

  @Column(name = "base_tier")
  public String baseTier;

  public String tier;

  @Column(name = "escalation_id")
  public UUID escalationId;

  @Column(name = "escalation_ends_at")
  public OffsetDateTime escalationEndsAt;

  @Column(name = "max_order_size_usd")
  public BigDecimal maxOrderSizeUsd;

  @Column(name = "max_position_usd")
  public BigDecimal maxPositionUsd;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "allowed_pairs")
  public List<String> allowedPairs;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "allowed_instruments")
  public List<String> allowedInstruments;

  @Column(name = "max_delta_exposure")
  public BigDecimal maxDeltaExposure;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "denied_actions")
  public List<String> deniedActions;

  @Column(name = "assigned_by")
  public String assignedBy;

  @Column(name = "assigned_at")
  public OffsetDateTime assignedAt;

  @Enumerated(EnumType.STRING)
  @Column(name = "suspension_mode")
  public SuspensionMode suspensionMode;

  @Column(name = "suspension_reason")
  public String suspensionReason;

  @Column(name = "suspended_by")
  public String suspendedBy;

  @Column(name = "suspended_at")
  public OffsetDateTime suspendedAt;

  @Column(name = "suspension_command_id")
  public String suspensionCommandId;

  /** The domain view. */
  public Assignment toDomain() {
    return new Assignment(
        agentId,
        botName,
        group,
        BotRole.parse(role, "role"),
        exchange,
        baseTier,
        tier,
        escalationId,
        escalationEndsAt == null ? null : escalationEndsAt.toInstant(),
        new Restrictions(
            maxOrderSizeUsd,
            maxPositionUsd,
            allowedPairs,
            allowedInstruments.stream().map(InstrumentPattern::parse).toList(),
            maxDeltaExposure,
            deniedActions),
        assignedBy,
        assignedAt.toInstant(),
        suspensionMode == null
            ? null
            : new Suspension(
                suspensionMode,
                suspensionReason,
                suspendedBy,
                suspendedAt.toInstant(),
                suspensionCommandId));
  }

  /** Writes the restrictions into this row. */
  public void setRestrictions(Restrictions restrictions) {
    maxOrderSizeUsd = restrictions.maxOrderSizeUsd();
    maxPositionUsd = restrictions.maxPositionUsd();
    allowedPairs = List.copyOf(restrictions.allowedPairs());
    allowedInstruments =
        restrictions.allowedInstruments().stream().map(InstrumentPattern::text).toList();
    maxDeltaExposure = restrictions.maxDeltaExposure();
    deniedActions = List.copyOf(restrictions.deniedActions());
  }

  /** Puts the base tier back in force and forgets the escalation. */
  public void endEscalation() {
    tier = baseTier;
    escalationId = null;
    escalationEndsAt = null;
  }

  static OffsetDateTime utc(java.time.Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
