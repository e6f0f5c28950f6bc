package io.botfleet.billing.domain;

import io.botfleet.common.error.Violations;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A recurring cost accrued daily, charged to one bot, shared by a group's bots or by the fleet's.
 *
 * @param id model id (null before it is stored)
 * @param name unique name; setting a model with a used name replaces that model
 * @param category the category of its entries
 * @param monthlyAmountUsd amount per month, whole cents
 * @param botId the bot it is charged to, or null
 * @param group the group that shares it, or null
 * @param fleet true if the whole fleet shares it
 * @param split how a group's or the fleet's share is split
 * @param startDate first day accrued
 * @param endDate last day accrued, or null (open ended)
 * @param createdBy who set it
 * @param updatedAt when it was last set
 */
public record CostModel(
    UUID id,
    String name,
    CostCategory category,
    BigDecimal monthlyAmountUsd,
    String botId,
    String group,
    boolean fleet,
    SplitRule split,
    LocalDate startDate,
    LocalDate endDate,
    String createdBy,
    Instant updatedAt) {

  /** How far back a start date may lie: the accrual job books every day since. */
  public static final int MAX_DAYS_BACK = 366;

  /** Throws INVALID_ARGUMENT naming every field that breaks a rule. */
  public void check(LocalDate today) {
    Violations violations = new Violations();
    violations.require(
        name != null && !name.isBlank() && name.length() <= 128,
        "model.name",
        "is required, at most 128 characters");
    violations.require(category != null, "model.category", "is required");
    if (monthlyAmountUsd != null) {
      violations.require(
          monthlyAmountUsd.signum() > 0, "model.monthly_amount_usd", "must be greater than 0");
      violations.require(
          Allocation.isWholeCents(monthlyAmountUsd),
          "model.monthly_amount_usd",
          "must be whole cents (at most 2 decimal places): it accrues in cents per day");
    }
    int attachments = (botId != null ? 1 : 0) + (group != null ? 1 : 0) + (fleet ? 1 : 0);
    violations.require(
        attachments == 1, "model.attach", "set exactly one of bot_id, group or fleet = true");
    violations.require(
        botId == null || split == SplitRule.EVEN,
        "model.split",
        "applies to group and fleet models only");
    if (startDate != null) {
      violations.require(
          !startDate.isBefore(today.minusDays(MAX_DAYS_BACK)),
          "model.start_date",
          "must be at most " + MAX_DAYS_BACK + " days ago");
      violations.require(
          endDate == null || !endDate.isBefore(startDate),
          "model.end_date",
          "must not be before start_date");
    }
    violations.throwIfAny();
  }

  /** True if the model accrues on {@code day}. */
  public boolean accruesOn(LocalDate day) {
    return !day.isBefore(startDate) && (endDate == null || !day.isAfter(endDate));
  }

  /** Who it is charged to, for descriptions: "bot-…", "group spot-arb" or "the fleet". */
  public String attachedTo() {
    return botId != null ? botId : group != null ? "group " + group : "the fleet";
  }
}
