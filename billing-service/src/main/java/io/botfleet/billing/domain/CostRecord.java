package io.botfleet.billing.domain;

import io.botfleet.common.error.Violations;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;

/**
 * A cost to book, checked: a positive amount (a refund, negative, only for exchange fees), a
 * description, a day that is not in the future, and an entry key.
 *
 * @param botId the bot charged
 * @param category the category
 * @param amountUsd the amount
 * @param description what it is
 * @param incurredDate the day it was incurred (UTC)
 * @param entryKey the idempotency key
 */
public record CostRecord(
    String botId,
    CostCategory category,
    BigDecimal amountUsd,
    String description,
    LocalDate incurredDate,
    String entryKey) {

  /** Throws INVALID_ARGUMENT naming every field that breaks a rule. */
  public void check(LocalDate today) {
    Violations violations = new Violations();
    violations.require(botId != null && !botId.isBlank(), "bot_id", "is required");
    violations.require(category != null, "category", "is required");
    if (amountUsd != null) {
      boolean refundAllowed = category == CostCategory.EXCHANGE_FEES;
      violations.require(
          amountUsd.signum() > 0 || (refundAllowed && amountUsd.signum() < 0),
          "amount_usd",
          refundAllowed
              ? "must not be 0"
              : "must be greater than 0 (refunds only for exchange_fees)");
    }
    violations.require(description != null && !description.isBlank(), "description", "is required");
    violations.require(
        description == null || description.length() <= 500,
        "description",
        "at most 500 characters");
    violations.require(
        incurredDate == null || !incurredDate.isAfter(today),
        "incurred_date",
        "must not be in the future (today is " + today + " UTC)");
    violations.require(
        entryKey != null && !entryKey.isBlank() && entryKey.length() <= 128,
        "entry_key",
        "is required, at most 128 characters");
    violations.throwIfAny();
  }

  /** The guide's period of the entry, "YYYY-MM". */
  public String period() {
    return YearMonth.from(incurredDate).toString();
  }
}
