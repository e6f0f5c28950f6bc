package io.botfleet.billing.grpc;

import com.google.protobuf.Timestamp;
import io.botfleet.billing.domain.Budget;
import io.botfleet.billing.domain.BudgetAlert;
import io.botfleet.billing.domain.CostCategory;
import io.botfleet.billing.domain.CostEntry;
import io.botfleet.billing.domain.CostModel;
import io.botfleet.billing.domain.CostRecord;
import io.botfleet.billing.domain.Money;
import io.botfleet.billing.domain.SplitRule;
import io.botfleet.billing.v1.BudgetAlertKind;
import io.botfleet.billing.v1.RecordCostRequest;
import io.botfleet.billing.v1.SetBudgetRequest;
import io.botfleet.billing.v1.SetCostModelRequest;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.common.error.Violations;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Translates between billing.v1 messages and the service's own types (costs, models, budgets). */
final class BillingMapper {

  private BillingMapper() {}

  static CostRecord toRecord(RecordCostRequest request) {
    Violations violations = new Violations();
    CostCategory category = category(request.getCategory(), "category", violations);
    BigDecimal amount = money(request.getAmountUsd(), "amount_usd", violations);
    LocalDate date = LocalDate.now(ZoneOffset.UTC);
    if (!request.getIncurredDate().isEmpty()) {
      try {
        date = LocalDate.parse(request.getIncurredDate());
      } catch (DateTimeParseException e) {
        violations.add("incurred_date", "must be YYYY-MM-DD, got " + request.getIncurredDate());
      }
    }
    violations.throwIfAny();
    return new CostRecord(
        request.getBotId(),
        category,
        amount,
        request.getDescription(),
        date,
        request.getEntryKey());
  }

  static CostModel toModel(SetCostModelRequest request) {
    io.botfleet.billing.v1.CostModel model = request.getModel();
    Violations violations = new Violations();
    CostCategory category = category(model.getCategory(), "model.category", violations);
    BigDecimal amount = money(model.getMonthlyAmountUsd(), "model.monthly_amount_usd", violations);
    LocalDate start = LocalDate.now(ZoneOffset.UTC);
    LocalDate end = null;
    if (!model.getStartDate().isEmpty()) {
      start = date(model.getStartDate(), "model.start_date", violations);
    }
    if (!model.getEndDate().isEmpty()) {
      end = date(model.getEndDate(), "model.end_date", violations);
    }
    violations.require(
        model.getAttachCase() != io.botfleet.billing.v1.CostModel.AttachCase.FLEET
            || model.getFleet(),
        "model.fleet",
        "must be true when chosen");
    violations.require(
        model.getSplit() != io.botfleet.billing.v1.SplitRule.UNRECOGNIZED,
        "model.split",
        "is not a known split rule");
    violations.throwIfAny();
    String botId =
        model.getAttachCase() == io.botfleet.billing.v1.CostModel.AttachCase.BOT_ID
                && !model.getBotId().isEmpty()
            ? model.getBotId()
            : null;
    String group =
        model.getAttachCase() == io.botfleet.billing.v1.CostModel.AttachCase.GROUP
                && !model.getGroup().isEmpty()
            ? model.getGroup()
            : null;
    SplitRule split =
        model.getSplit() == io.botfleet.billing.v1.SplitRule.SPLIT_RULE_BY_USAGE
            ? SplitRule.BY_USAGE
            : SplitRule.EVEN;
    return new CostModel(
        null,
        model.getName().trim(),
        category,
        amount,
        botId,
        group,
        model.getFleet(),
        split,
        start,
        end,
        null,
        null);
  }

  static Budget toBudget(SetBudgetRequest request) {
    io.botfleet.billing.v1.Budget budget = request.getBudget();
    Violations violations = new Violations();
    BigDecimal amount =
        money(budget.getMonthlyBudgetUsd(), "budget.monthly_budget_usd", violations);
    violations.throwIfAny();
    return new Budget(
        budget.getBotId().isEmpty() ? null : budget.getBotId(),
        budget.getGroup().isEmpty() ? null : budget.getGroup(),
        amount,
        budget.getPauseWhenExceeded(),
        null,
        null);
  }

  /** A category filter: null when unset. */
  static CostCategory categoryFilter(io.botfleet.billing.v1.CostCategory category, String field) {
    if (category == io.botfleet.billing.v1.CostCategory.COST_CATEGORY_UNSPECIFIED) {
      return null;
    }
    if (category == io.botfleet.billing.v1.CostCategory.UNRECOGNIZED) {
      throw new InvalidArgumentException(field, "is not a known category");
    }
    return CostCategory.valueOf(category.name().substring("COST_CATEGORY_".length()));
  }

  static io.botfleet.billing.v1.CostCategory toProto(CostCategory category) {
    return io.botfleet.billing.v1.CostCategory.valueOf("COST_CATEGORY_" + category.name());
  }

  static io.botfleet.billing.v1.CostEntry toProto(CostEntry entry) {
    return io.botfleet.billing.v1.CostEntry.newBuilder()
        .setId(entry.id().toString())
        .setBotId(entry.botId())
        .setBotName(entry.botName() == null ? "" : entry.botName())
        .setCategory(toProto(entry.category()))
        .setAmountUsd(Money.format(entry.amountUsd()))
        .setDescription(entry.description())
        .setIncurredDate(entry.incurredDate().toString())
        .setPeriod(entry.period())
        .setRecordedBy(entry.recordedBy())
        .setRecordTime(timestamp(entry.recordedAt()))
        .setEntryKey(entry.entryKey())
        .setSource(entry.source())
        .build();
  }

  static io.botfleet.billing.v1.CostModel toProto(CostModel model) {
    io.botfleet.billing.v1.CostModel.Builder proto =
        io.botfleet.billing.v1.CostModel.newBuilder()
            .setId(model.id().toString())
            .setName(model.name())
            .setCategory(toProto(model.category()))
            .setMonthlyAmountUsd(Money.format(model.monthlyAmountUsd()))
            .setSplit(
                model.split() == SplitRule.BY_USAGE
                    ? io.botfleet.billing.v1.SplitRule.SPLIT_RULE_BY_USAGE
                    : io.botfleet.billing.v1.SplitRule.SPLIT_RULE_EVEN)
            .setStartDate(model.startDate().toString())
            .setEndDate(model.endDate() == null ? "" : model.endDate().toString())
            .setCreatedBy(model.createdBy())
            .setCreateTime(timestamp(model.updatedAt()));
    if (model.botId() != null) {
      proto.setBotId(model.botId());
    } else if (model.group() != null) {
      proto.setGroup(model.group());
    } else {
      proto.setFleet(true);
    }
    return proto.build();
  }

  static io.botfleet.billing.v1.Budget toProto(Budget budget) {
    return io.botfleet.billing.v1.Budget.newBuilder()
        .setBotId(budget.botId() == null ? "" : budget.botId())
        .setGroup(budget.group() == null ? "" : budget.group())
        .setMonthlyBudgetUsd(Money.format(budget.monthlyBudgetUsd()))
        .setPauseWhenExceeded(budget.pauseWhenExceeded())
        .setSetBy(budget.setBy())
        .setUpdateTime(timestamp(budget.updatedAt()))
        .build();
  }

  static io.botfleet.billing.v1.BudgetAlert toProto(BudgetAlert alert) {
    return io.botfleet.billing.v1.BudgetAlert.newBuilder()
        .setId(alert.id().toString())
        .setKind(
            alert.kind() == io.botfleet.billing.domain.BudgetAlertKind.WARNING
                ? BudgetAlertKind.BUDGET_ALERT_KIND_WARNING
                : BudgetAlertKind.BUDGET_ALERT_KIND_EXCEEDED)
        .setAgentId(alert.botId())
        .setBotName(alert.botName() == null ? "" : alert.botName())
        .setPeriod(alert.period())
        .setBudgetUsd(Money.format(alert.budgetUsd()))
        .setSpentUsd(Money.format(alert.spentUsd()))
        .setUtilizationPct(alert.utilizationPct().toPlainString())
        .setBotPaused(alert.botPaused())
        .setCreateTime(timestamp(alert.createdAt()))
        .build();
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  private static CostCategory category(
      io.botfleet.billing.v1.CostCategory category, String field, Violations violations) {
    if (category == io.botfleet.billing.v1.CostCategory.COST_CATEGORY_UNSPECIFIED
        || category == io.botfleet.billing.v1.CostCategory.UNRECOGNIZED) {
      violations.add(field, "is required");
      return null;
    }
    return CostCategory.valueOf(category.name().substring("COST_CATEGORY_".length()));
  }

  private static BigDecimal money(String text, String field, Violations violations) {
    try {
      return Money.parse(text);
    } catch (IllegalArgumentException e) {
      violations.add(field, e.getMessage());
      return null;
    }
  }

  private static LocalDate date(String text, String field, Violations violations) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      violations.add(field, "must be YYYY-MM-DD, got " + text);
      return null;
    }
  }
}
