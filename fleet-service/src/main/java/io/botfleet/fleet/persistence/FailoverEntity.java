package io.botfleet.fleet.persistence;

import io.botfleet.fleet.domain.Failover;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of {@code failovers}. */
@Entity
@Table(name = "failovers")
public class FailoverEntity {

  @Id public UUID id;

  @Column(name = "dead_bot_id")
  public String deadBotId;

  @Column(name = "replacement_bot_id")
  public String replacementBotId;

  @Column(name = "bot_group")
  public String group;

  public String exchange;

  @Column(name = "reconcile_positions")
  public boolean reconcilePositions;

  public boolean automatic;

  @Column(name = "command_id")
  public UUID commandId;

  @Column(name = "initiated_by")
  public String initiatedBy;

  @Column(name = "dead_at")
  public OffsetDateTime deadAt;

  @Column(name = "request_id")
  public String requestId;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  /** The failover. */
  public Failover toDomain() {
    return new Failover(
        id,
        deadBotId,
        replacementBotId,
        group,
        exchange,
        reconcilePositions,
        automatic,
        commandId,
        initiatedBy,
        createdAt.toInstant());
  }
}
