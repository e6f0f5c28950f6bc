package io.botfleet.billing.grpc;

import static io.botfleet.devkit.StatusDetails.badRequestFields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.billing.BillingTestSupport;
import io.botfleet.billing.fakes.FakeFleet;
import io.botfleet.billing.fakes.FakeServicesResource;
import io.botfleet.billing.service.CostGauges;
import io.botfleet.billing.v1.BotCost;
import io.botfleet.billing.v1.CostCategory;
import io.botfleet.billing.v1.CostEntry;
import io.botfleet.billing.v1.GetBotCostSummaryRequest;
import io.botfleet.billing.v1.GetFleetCostSummaryRequest;
import io.botfleet.billing.v1.GetFleetCostSummaryResponse;
import io.botfleet.billing.v1.GetRoiRankingRequest;
import io.botfleet.billing.v1.ListCostEntriesRequest;
import io.botfleet.billing.v1.ListCostEntriesResponse;
import io.botfleet.billing.v1.Period;
import io.botfleet.billing.v1.Recommendation;
import io.botfleet.billing.v1.ReportFillsRequest;
import io.botfleet.billing.v1.Roi;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reports: late entries in their own month, the fleet's breakdowns, CSV paging, the ranking. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesResource.class)
class CostReportTest extends BillingTestSupport {

  @Inject CostGauges gauges;

  static final CostCategory NETWORK = CostCategory.COST_CATEGORY_NETWORK;

  @Test
  void aLateCostEntryIsBookedToItsOwnMonthNotToTheMonthItWasRecordedIn() {
    String bot = registeredBot(unique("arb"), unique("g"));
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    LocalDate earlier = today.minusMonths(2).withDayOfMonth(20);
    record(bot, NETWORK, "7.00", earlier.withDayOfMonth(5));
    record(bot, NETWORK, "3.50", today);
    CostEntry late = record(bot, NETWORK, "1.25", earlier);

    assertThat(late.getIncurredDate()).isEqualTo(earlier.toString());
    assertThat(late.getPeriod()).isEqualTo(earlier.toString().substring(0, 7));
    assertThat(total(bot, Period.newBuilder().setMonth(late.getPeriod()).build()))
        .isEqualTo("8.25");
    assertThat(total(bot, Period.getDefaultInstance())).isEqualTo("3.50");
    assertThat(
            billing(viewer())
                .listCostEntries(
                    ListCostEntriesRequest.newBuilder()
                        .setBotId(bot)
                        .setPeriod(Period.newBuilder().setMonth(late.getPeriod()))
                        .build())
                .getEntriesList())
        .extracting(CostEntry::getAmountUsd)
        .containsExactly("7.00", "1.25");
  }

  @Test
  void theFleetSummaryBreaksCostsDownByGroupStrategyAndExchange() {
    LocalDate day = LocalDate.of(2026, 5, 20);
    String arbGroup = unique("spot-arb");
    String momGroup = unique("perp-momentum");
    String arb = newBotId();
    FakeFleet.bot(arb, unique("arb"), arbGroup, unique("cross-exchange-arb"), "binance");
    String mom = newBotId();
    FakeFleet.bot(mom, unique("mom"), momGroup, unique("trend-following"), "deribit");
    TestPrincipal arbBot = TestPrincipal.bot(arb).trustedBy(keyCache);
    reportFills(
        arbBot,
        List.of(
            ReportFillsRequest.newBuilder()
                .addFills(fill("b-1", day, "1.00", "USDT", ""))
                .addFills(fill("o-1", day, "2.00", "USDT", "").toBuilder().setExchange("OKX"))
                .build()));
    record(arb, CostCategory.COST_CATEGORY_INFRASTRUCTURE, "4.00", day);
    record(mom, CostCategory.COST_CATEGORY_MARKET_DATA, "10.00", day);

    GetFleetCostSummaryResponse fleet =
        billing(viewer())
            .getFleetCostSummary(
                GetFleetCostSummaryRequest.newBuilder().setPeriod(day(day)).build());

    assertThat(fleet.getCostsByGroupMap())
        .containsEntry(arbGroup, "7.00")
        .containsEntry(momGroup, "10.00");
    assertThat(fleet.getCostsByExchangeMap()).containsKeys("okx", "binance", "deribit");
    assertThat(fleet.getCostsByStrategyMap()).hasSizeGreaterThanOrEqualTo(2);
    List<BotCost> ours =
        fleet.getCostsByBotList().stream()
            .filter(c -> c.getBotId().equals(arb) || c.getBotId().equals(mom))
            .toList();
    assertThat(ours).extracting(BotCost::getBotId).containsExactly(mom, arb);
    assertThat(ours).extracting(BotCost::getTotalCostUsd).containsExactly("10.00", "7.00");
    assertThat(fleet.getCostsByCategoryMap()).containsKeys("exchange_fees", "network");
  }

  @Test
  void costEntriesPageOldestFirstWithoutGapsOrRepeats() {
    String bot = registeredBot(unique("arb"), unique("g"));
    LocalDate day = LocalDate.of(2026, 5, 1);
    for (int i = 5; i >= 1; i--) {
      record(bot, NETWORK, i + ".00", day.plusDays(i));
    }
    List<String> seen = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      ListCostEntriesResponse page =
          billing(viewer())
              .listCostEntries(
                  ListCostEntriesRequest.newBuilder()
                      .setBotId(bot)
                      .setPeriod(Period.newBuilder().setMonth("2026-05"))
                      .setPageSize(2)
                      .setPageToken(token)
                      .build());
      page.getEntriesList().forEach(e -> seen.add(e.getIncurredDate()));
      token = page.getNextPageToken();
      pages++;
    } while (!token.isEmpty());

    assertThat(pages).isEqualTo(3);
    assertThat(seen)
        .containsExactly("2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05", "2026-05-06");
    assertThatThrownBy(
            () ->
                billing(viewer())
                    .listCostEntries(
                        ListCostEntriesRequest.newBuilder().setPageToken("garbage").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(badRequestFields(e)).containsExactly("page_token"));
  }

  @Test
  void theRankingPutsTheBestRoiFirstWithTheDecisionRulesAdvice() {
    LocalDate day = LocalDate.of(2026, 5, 21);
    String group = unique("ranked");
    String scale = registeredBot("a-" + group, group);
    String optimise = registeredBot("b-" + group, group);
    String shutDown = registeredBot("c-" + group, group);
    record(scale, NETWORK, "10", day);
    FakeFleet.dailyStat(scale, day, "100", 50);
    record(optimise, NETWORK, "100", day);
    FakeFleet.dailyStat(optimise, day, "250", 50);
    record(shutDown, NETWORK, "50", day);
    FakeFleet.dailyStat(shutDown, day, "40", 50);

    List<Roi> ours =
        billing(viewer())
            .getRoiRanking(GetRoiRankingRequest.newBuilder().setPeriod(day(day)).build())
            .getRankingList()
            .stream()
            .filter(r -> r.getGroup().equals(group))
            .toList();

    assertThat(ours).extracting(Roi::getBotId).containsExactly(scale, optimise, shutDown);
    assertThat(ours)
        .extracting(Roi::getRecommendation)
        .containsExactly(
            Recommendation.RECOMMENDATION_SCALE,
            Recommendation.RECOMMENDATION_OPTIMISE,
            Recommendation.RECOMMENDATION_SHUT_DOWN);
    assertThat(ours).extracting(Roi::getRoiPct).containsExactly("900.0", "150.0", "-20.0");
  }

  @Test
  void badPeriodsNameTheirFieldAndABotReadsOnlyItsOwnCosts() {
    assertThatThrownBy(
            () ->
                billing(viewer())
                    .getFleetCostSummary(
                        GetFleetCostSummaryRequest.newBuilder()
                            .setPeriod(Period.newBuilder().setMonth("2026-13"))
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(badRequestFields(e)).containsExactly("period.month"));
    TestPrincipal bot = TestPrincipal.bot(registeredBot(unique("a"), "g")).trustedBy(keyCache);
    assertThatThrownBy(
            () ->
                billing(bot)
                    .getBotCostSummary(
                        GetBotCostSummaryRequest.newBuilder().setBotId(newBotId()).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  @Test
  void todaysFleetCostsAreAPrometheusGaugePerCategory() {
    String bot = registeredBot(unique("arb"), unique("g"));
    record(
        bot, CostCategory.COST_CATEGORY_EXCHANGE_API_FEES, "0.75", LocalDate.now(ZoneOffset.UTC));
    gauges.refresh();

    String scrape = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();

    double value =
        scrape
            .lines()
            .filter(
                l -> l.startsWith("botfleet_billing_cost_today_usd{category=\"exchange_api_fees\""))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .findFirst()
            .orElseThrow();
    assertThat(value).isGreaterThanOrEqualTo(0.75);
    assertThat(scrape).contains("botfleet_billing_cost_today_usd{category=\"network\"");
  }

  private String total(String bot, Period period) {
    GetBotCostSummaryRequest.Builder request = GetBotCostSummaryRequest.newBuilder().setBotId(bot);
    if (!period.equals(Period.getDefaultInstance())) {
      request.setPeriod(period);
    }
    return billing(viewer()).getBotCostSummary(request.build()).getTotalCostUsd();
  }
}
