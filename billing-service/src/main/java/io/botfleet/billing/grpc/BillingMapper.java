package io.botfleet.billing.grpc;

import com.google.protobuf.Timestamp;
import io.botfleet.billing.domain.CostCategory;
import io.botfleet.billing.domain.CostEntry;
import io.botfleet.billing.domain.CostRecord;
import io.botfleet.billing.domain.Money;
import io.botfleet.billing.v1.RecordCostRequest;
import io.botfleet.common.error.Violations;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Translates between billing.v1 messages and the service's own types. */
final class BillingMapper {

  private BillingMapper() {}

  static CostRecord toRecord(RecordCostRequest request) {
    Violations violations = new Violations();
    CostCategory category = null;
    if (request.getCategory() == io.botfleet.billing.v1.CostCategory.COST_CATEGORY_UNSPECIFIED
        || request.getCategory() == io.botfleet.billing.v1.CostCategory.UNRECOGNIZED) {
      violations.add("category", "is required");
    } else {
      category =
          CostCategory.valueOf(request.getCategory().name().substring("COST_CATEGORY_".length()));
    }
    BigDecimal amount = null;
    try {
      amount = Money.parse(request.getAmountUsd());
    } catch (IllegalArgumentException e) {
      violations.add("amount_usd", e.getMessage());
    }
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

  static io.botfleet.billing.v1.CostEntry toProto(CostEntry entry) {
    return io.botfleet.billing.v1.CostEntry.newBuilder()
        .setId(entry.id().toString())
        .setBotId(entry.botId())
        .setBotName(entry.botName() == null ? "" : entry.botName())
        .setCategory(
            io.botfleet.billing.v1.CostCategory.valueOf("COST_CATEGORY_" + entry.category().name()))
        .setAmountUsd(Money.format(entry.amountUsd()))
        .setDescription(entry.description())
        .setIncurredDate(entry.incurredDate().toString())
        .setPeriod(entry.period())
        .setRecordedBy(entry.recordedBy())
        .setRecordTime(
            Timestamp.newBuilder()
                .setSeconds(entry.recordedAt().getEpochSecond())
                .setNanos(entry.recordedAt().getNano()))
        .setEntryKey(entry.entryKey())
        .setSource(entry.source())
        .build();
  }
}
