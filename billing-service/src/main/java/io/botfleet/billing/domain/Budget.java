package io.botfleet.billing.domain;

import io.botfleet.common.error.Violations;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A monthly budget: a bot's own, or a group's default for its bots without one.
 *
 * @param botId the bot, or null for a group default
 * @param group the group, or null for a bot's budget
 * @param monthlyBudgetUsd the budget
 * @param pauseWhenExceeded pause the bot through fleet-service once it is exceeded this month
 * @param setBy who set it ("config" for the configured group defaults)
 * @param updatedAt when
 */
public record Budget(
    String botId,
    String group,
    BigDecimal monthlyBudgetUsd,
    boolean pauseWhenExceeded,
    String setBy,
    Instant updatedAt) {

  /** Throws INVALID_ARGUMENT naming every field that breaks a rule. */
  public void check() {
    Violations violations = new Violations();
    violations.require(
        (botId == null) != (group == null), "budget", "set exactly one of bot_id or group");
    if (monthlyBudgetUsd != null) {
      violations.require(
          monthlyBudgetUsd.signum() > 0, "budget.monthly_budget_usd", "must be greater than 0");
    }
    violations.throwIfAny();
  }
}
