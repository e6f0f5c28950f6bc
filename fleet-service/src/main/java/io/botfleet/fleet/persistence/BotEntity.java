package io.botfleet.fleet.persistence;

import io.botfleet.fleet.domain.Bot;
import io.botfleet.fleet.domain.BotStatus;
import io.botfleet.fleet.domain.Control;
import io.botfleet.fleet.domain.Tier;
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
import java.util.Map;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code bots}. Only the columns that changed are written ({@link DynamicUpdate}), and the
 * command sequence and connection columns never through the entity: native statements move them for
 * thousands of bots at once, and a stale entity must not write them back.
 */
@Entity
@Table(name = "bots")
@DynamicUpdate
public class BotEntity {

  @Id public String id;

  public String name;

  @Column(name = "bot_group")
  public String group;

  public String exchange;

  public String strategy;

  public String version;

  @Enumerated(EnumType.STRING)
  public BotStatus status;

  @Enumerated(EnumType.STRING)
  public Control control = Control.ACTIVE;

  @JdbcTypeCode(SqlTypes.ARRAY)
  public List<String> capabilities;

  @Column(name = "max_position_usd")
  public BigDecimal maxPositionUsd;

  @JdbcTypeCode(SqlTypes.JSON)
  public Map<String, String> metadata;

  public String role;

  public String tier;

  public boolean standby;

  @Column(name = "registered_at")
  public OffsetDateTime registeredAt;

  @Column(name = "last_heartbeat_at")
  public OffsetDateTime lastHeartbeatAt;

  @Column(name = "status_reason")
  public String statusReason;

  @Column(name = "request_id")
  public String requestId;

  @Column(name = "command_seq", updatable = false)
  public long commandSeq;

  @Column(name = "connected_replica", insertable = false, updatable = false)
  public String connectedReplica;

  @Column(name = "connected_at", insertable = false, updatable = false)
  public OffsetDateTime connectedAt;

  @Column(name = "dead_at")
  public OffsetDateTime deadAt;

  @Column(name = "deregister_due_at")
  public OffsetDateTime deregisterDueAt;

  @Column(name = "status_changed_at")
  public OffsetDateTime statusChangedAt = OffsetDateTime.now(ZoneOffset.UTC);

  /** The bot, {@code connected} if its stream is held by a live replica. */
  public Bot toDomain(boolean connected) {
    return new Bot(
        id,
        name,
        group,
        exchange,
        strategy,
        version,
        status,
        control,
        capabilities == null ? List.of() : List.copyOf(capabilities),
        maxPositionUsd,
        metadata == null ? Map.of() : Map.copyOf(metadata),
        role,
        Tier.ofGuideName(tier),
        standby,
        registeredAt.toInstant(),
        lastHeartbeatAt == null ? null : lastHeartbeatAt.toInstant(),
        statusReason == null ? "" : statusReason,
        connected);
  }

  /** Changes the status, with why. */
  public void changeStatus(BotStatus to, String reason) {
    status = to;
    statusReason = reason;
    statusChangedAt = OffsetDateTime.now(ZoneOffset.UTC);
  }
}
