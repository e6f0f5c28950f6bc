package io.botfleet.billing.persistence;

import io.botfleet.billing.domain.Budget;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of {@code budgets}. */
@Entity
@Table(name = "budgets")
public class BudgetEntity {

  @Id public UUID id;

  @Column(name = "bot_id")
  public String botId;

  @Column(name = "group_name")
  public String groupName;

  @Column(name = "monthly_budget_usd")
  public BigDecimal monthlyBudgetUsd;

  @Column(name = "pause_when_exceeded")
  public boolean pauseWhenExceeded;

  @Column(name = "set_by")
  public String setBy;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;

  /** The domain view. */
  public Budget toDomain() {
    return new Budget(
        botId, groupName, monthlyBudgetUsd, pauseWhenExceeded, setBy, updatedAt.toInstant());
  }
}
