package io.botfleet.billing.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.UUID;

/**
 * A booked cost.
 *
 * @param id entry id
 * @param botId the bot charged
 * @param botName its name, when known
 * @param category the category
 * @param amountUsd the amount
 * @param description what it is
 * @param incurredDate the day it was incurred
 * @param recordedBy who recorded it
 * @param recordedAt when
 * @param entryKey its idempotency key
 * @param source "manual", "fill", "cost_model:&lt;id&gt;" or "greenhelix_usage"
 * @param exchange the exchange of a fill's fee, or null (the bot's exchange applies)
 * @param group the group of a shared cost booked as unallocated, or null (the bot's group applies)
 */
public record CostEntry(
    UUID id,
    String botId,
    String botName,
    CostCategory category,
    BigDecimal amountUsd,
    String description,
    LocalDate incurredDate,
    String recordedBy,
    Instant recordedAt,
    String entryKey,
    String source,
    String exchange,
    String group) {

  /** The guide's period, "YYYY-MM". */
  public String period() {
    return YearMonth.from(incurredDate).toString();
  }

  /** True if this entry records the same cost as {@code record} (a true retry). */
  public boolean sameAs(CostRecord record) {
    return botId.equals(record.botId())
        && category == record.category()
        && amountUsd.compareTo(record.amountUsd()) == 0
        && incurredDate.equals(record.incurredDate());
  }
}
