package io.botfleet.billing.persistence;

import io.botfleet.billing.domain.CostCategory;
import io.botfleet.billing.domain.CostEntry;
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

/** A row of {@code cost_entries}. */
@Entity
@Table(name = "cost_entries")
public class CostEntryEntity {

  @Id public UUID id;

  @Column(name = "bot_id")
  public String botId;

  @Column(name = "bot_name")
  public String botName;

  @Enumerated(EnumType.STRING)
  public CostCategory category;

  @Column(name = "amount_usd")
  public BigDecimal amountUsd;

  public String description;

  @Column(name = "incurred_date")
  public LocalDate incurredDate;

  @Column(name = "recorded_by")
  public String recordedBy;

  @Column(name = "recorded_at")
  public OffsetDateTime recordedAt;

  @Column(name = "entry_key")
  public String entryKey;

  public String source;

  public String exchange;

  @Column(name = "group_name")
  public String groupName;

  /** The domain view. */
  public CostEntry toDomain() {
    return new CostEntry(
        id,
        botId,
        botName,
        category,
        amountUsd,
        description,
        incurredDate,
        recordedBy,
        recordedAt.toInstant(),
        entryKey,
        source,
        exchange,
        groupName);
  }
}
