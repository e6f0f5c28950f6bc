package io.botfleet.billing.persistence;

import io.botfleet.billing.domain.CostCategory;
import io.botfleet.billing.domain.CostModel;
import io.botfleet.billing.domain.SplitRule;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of {@code cost_models}. */
@Entity
@Table(name = "cost_models")
public class CostModelEntity {

  @Id public UUID id;

  public String name;

  @Enumerated(EnumType.STRING)
  public CostCategory category;

  @Column(name = "monthly_amount_usd")
  public BigDecimal monthlyAmountUsd;

  @Column(name = "bot_id")
  public String botId;

  @Column(name = "group_name")
  public String groupName;

  public boolean fleet;

  @Enumerated(EnumType.STRING)
  public SplitRule split;

  @Column(name = "start_date")
  public LocalDate startDate;

  @Column(name = "end_date")
  public LocalDate endDate;

  @Column(name = "created_by")
  public String createdBy;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;

  /** The domain view. */
  public CostModel toDomain() {
    return new CostModel(
        id,
        name,
        category,
        monthlyAmountUsd,
        botId,
        groupName,
        fleet,
        split,
        startDate,
        endDate,
        createdBy,
        updatedAt.toInstant());
  }
}
