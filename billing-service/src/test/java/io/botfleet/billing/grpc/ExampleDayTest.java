package io.botfleet.billing.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.billing.BillingTestSupport;
import io.botfleet.billing.fakes.FakeFleet;
import io.botfleet.billing.fakes.FakeServicesResource;
import io.botfleet.billing.service.ApiFeeService;
import io.botfleet.billing.service.CostAccrualService;
import io.botfleet.billing.v1.CalculateRoiRequest;
import io.botfleet.billing.v1.CostCategory;
import io.botfleet.billing.v1.CostModel;
import io.botfleet.billing.v1.GetBotCostSummaryRequest;
import io.botfleet.billing.v1.GetBotCostSummaryResponse;
import io.botfleet.billing.v1.Recommendation;
import io.botfleet.billing.v1.ReportFillsResponse;
import io.botfleet.billing.v1.Roi;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The guide's example day, booked the way botfleet books it (fills, two cost models, GreenHelix
 * usage) and read back through the API: total 24.63, net 209.87, ROI 852.1 % (the guide prints
 * 851.7, an arithmetic slip).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesResource.class)
class ExampleDayTest extends BillingTestSupport {

  /** A day of a 30-day month, so 204 USD a month is 6.80 a day and 100 USD is 3.33. */
  static final LocalDate DAY = LocalDate.of(2026, 9, 15);

  @Inject CostAccrualService accruals;
  @Inject ApiFeeService apiFees;

  @Test
  void theGuidesExampleDayCosts24_63AndReturns852_1Percent() {
    String botId = registeredBot(unique("spot-arb-01"), "spot-arb");
    TestPrincipal bot = TestPrincipal.bot(botId).trustedBy(keyCache);

    ReportFillsResponse fills = reportFills(bot, List.of(fills("t", 125, DAY, "0.10")));
    setModel(model("c5.xlarge", CostCategory.COST_CATEGORY_INFRASTRUCTURE, "204.00", botId));
    setModel(model("market data", CostCategory.COST_CATEGORY_MARKET_DATA, "100.00", botId));
    accruals.accrue(DAY);
    FakeFleet.usage("health", DAY, botId, "submit_metrics", 200);
    apiFees.book(DAY, DAY);
    FakeFleet.dailyStat(botId, DAY, "234.50", 125);

    assertThat(fills.getAccepted()).isEqualTo(125);
    assertThat(fills.getFeesUsd()).isEqualTo("12.50");
    GetBotCostSummaryResponse summary = summary(bot, botId);
    assertThat(summary.getCostsByCategoryMap())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "exchange_fees", "12.50",
                "infrastructure", "6.80",
                "api_fees", "2.00",
                "market_data", "3.33",
                "network", "0.00",
                "exchange_api_fees", "0.00"));
    assertThat(summary.getTotalCostUsd()).isEqualTo("24.63");
    assertThat(summary.getBotName()).startsWith("spot-arb-01");

    Roi roi =
        billing(bot)
            .calculateRoi(
                CalculateRoiRequest.newBuilder().setBotId(botId).setPeriod(day(DAY)).build())
            .getRoi();
    assertThat(roi.getGrossPnlUsd()).isEqualTo("234.50");
    assertThat(roi.getTotalCostUsd()).isEqualTo("24.63");
    assertThat(roi.getNetPnlUsd()).isEqualTo("209.87");
    assertThat(roi.getRoiPct()).isEqualTo("852.1");
    assertThat(roi.getRecommendation()).isEqualTo(Recommendation.RECOMMENDATION_SCALE);
    assertThat(roi.getGroup()).isEqualTo("spot-arb");
  }

  @Test
  void runningTheDailyJobsAgainBooksNothingTwice() {
    String botId = registeredBot(unique("spot-arb-02"), "spot-arb");
    LocalDate day = DAY.plusDays(1);
    setModel(
        model("again", CostCategory.COST_CATEGORY_INFRASTRUCTURE, "204.00", botId)
            .setStartDate(day.toString())
            .setEndDate(day.toString()));
    FakeFleet.usage("deploy", day, botId, "publish_event", 7);

    for (int run = 0; run < 3; run++) {
      accruals.accrue(day);
      apiFees.book(day, day);
    }

    GetBotCostSummaryResponse summary =
        billing(operator())
            .getBotCostSummary(
                GetBotCostSummaryRequest.newBuilder().setBotId(botId).setPeriod(day(day)).build());
    assertThat(summary.getCostsByCategoryMap())
        .containsEntry("infrastructure", "6.80")
        .containsEntry("api_fees", "0.07");
    assertThat(summary.getTotalCostUsd()).isEqualTo("6.87");
  }

  private CostModel.Builder model(String name, CostCategory category, String amount, String bot) {
    return CostModel.newBuilder()
        .setName(unique(name))
        .setCategory(category)
        .setMonthlyAmountUsd(amount)
        .setBotId(bot)
        .setStartDate(DAY.toString())
        .setEndDate(DAY.toString());
  }

  private GetBotCostSummaryResponse summary(TestPrincipal caller, String botId) {
    return billing(caller)
        .getBotCostSummary(
            GetBotCostSummaryRequest.newBuilder().setBotId(botId).setPeriod(day(DAY)).build());
  }
}
