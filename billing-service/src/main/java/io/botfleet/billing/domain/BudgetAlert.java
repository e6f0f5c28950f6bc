package io.botfleet.billing.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A budget alert (the guide's fields).
 *
 * @param id alert id
 * @param kind warning or exceeded
 * @param botId the bot
 * @param botName its name, when known
 * @param period the month, "YYYY-MM"
 * @param budgetUsd the budget in force
 * @param spentUsd month-to-date spend when raised
 * @param utilizationPct spent / budget, percent, 1 decimal
 * @param botPaused true once fleet-service accepted the pause it asked for
 * @param createdAt when raised
 */
public record BudgetAlert(
    UUID id,
    BudgetAlertKind kind,
    String botId,
    String botName,
    String period,
    BigDecimal budgetUsd,
    BigDecimal spentUsd,
    BigDecimal utilizationPct,
    boolean botPaused,
    Instant createdAt) {}
