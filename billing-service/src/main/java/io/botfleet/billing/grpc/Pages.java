package io.botfleet.billing.grpc;

import io.botfleet.billing.domain.AlertFilter;
import io.botfleet.billing.domain.BudgetAlertKind;
import io.botfleet.billing.domain.Period;
import io.botfleet.billing.service.BudgetService;
import io.botfleet.billing.service.CostReportService;
import io.botfleet.billing.v1.ListBudgetAlertsRequest;
import io.botfleet.billing.v1.ListBudgetAlertsResponse;
import io.botfleet.billing.v1.ListCostEntriesRequest;
import io.botfleet.billing.v1.ListCostEntriesResponse;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.common.events.PageTokens;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/** The two paged listings: cost entries (for CSV export) and budget alerts. */
final class Pages {

  private Pages() {}

  static ListCostEntriesResponse costEntries(
      ListCostEntriesRequest request, CostReportService reports) {
    Period period = PeriodMapper.period(request.getPeriod(), request.hasPeriod(), "period");
    int size = PageTokens.pageSize(request.getPageSize(), 1000, 5000, "page_size");
    String after = PageTokens.decode(request.getPageToken(), "page_token");
    if (!after.isEmpty() && !after.matches("\\d{4}-\\d{2}-\\d{2}\\|\\d+")) {
      throw new InvalidArgumentException("page_token", "is not a page token returned by this API");
    }
    if (!after.isEmpty()) {
      try {
        LocalDate.parse(after.substring(0, 10));
      } catch (DateTimeParseException e) {
        throw new InvalidArgumentException(
            "page_token", "is not a page token returned by this API");
      }
    }
    var page =
        reports.entries(
            period,
            request.getBotId(),
            BillingMapper.categoryFilter(request.getCategory(), "category"),
            after,
            size);
    ListCostEntriesResponse.Builder answer = ListCostEntriesResponse.newBuilder();
    page.items().forEach(e -> answer.addEntries(BillingMapper.toProto(e)));
    answer.setNextPageToken(page.next().map(PageTokens::encode).orElse(""));
    return answer.build();
  }

  static ListBudgetAlertsResponse budgetAlerts(
      ListBudgetAlertsRequest request, BudgetService budgets) {
    if (!request.getPeriod().isEmpty()) {
      try {
        YearMonth.parse(request.getPeriod());
      } catch (DateTimeParseException e) {
        throw new InvalidArgumentException(
            "period", "must be YYYY-MM, got \"" + request.getPeriod() + "\"");
      }
    }
    BudgetAlertKind kind =
        switch (request.getKind()) {
          case BUDGET_ALERT_KIND_WARNING -> BudgetAlertKind.WARNING;
          case BUDGET_ALERT_KIND_EXCEEDED -> BudgetAlertKind.EXCEEDED;
          case BUDGET_ALERT_KIND_UNSPECIFIED -> null;
          default -> throw new InvalidArgumentException("kind", "is not a known alert kind");
        };
    String before = PageTokens.decode(request.getPageToken(), "page_token");
    if (!before.isEmpty() && !before.matches("\\d{1,18}")) {
      throw new InvalidArgumentException("page_token", "is not a page token returned by this API");
    }
    var page =
        budgets.alerts(
            new AlertFilter(
                request.getBotId(),
                request.getPeriod(),
                kind,
                request.hasStartTime()
                    ? Instant.ofEpochSecond(
                        request.getStartTime().getSeconds(), request.getStartTime().getNanos())
                    : null,
                before,
                PageTokens.pageSize(request.getPageSize(), 100, 1000, "page_size")));
    ListBudgetAlertsResponse.Builder answer = ListBudgetAlertsResponse.newBuilder();
    page.items().forEach(a -> answer.addAlerts(BillingMapper.toProto(a)));
    answer.setNextPageToken(page.next().map(PageTokens::encode).orElse(""));
    return answer.build();
  }
}
