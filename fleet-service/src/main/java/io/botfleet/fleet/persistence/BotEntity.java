package io.botfleet.fleet.persistence;

import io.botfleet.fleet.domain.BotStatus;
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

/** A row of {@code bots}. */
@Entity
@Table(name = "bots")
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
}
