package io.botfleet.billing.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.billing.BillingTestSupport;
import io.botfleet.billing.fakes.FakeFleet;
import io.botfleet.billing.fakes.FakeServicesResource;
import io.botfleet.billing.v1.CostCategory;
import io.botfleet.billing.v1.CostModel;
import io.botfleet.billing.v1.GetBotCostSummaryRequest;
import io.botfleet.billing.v1.GetFleetCostSummaryRequest;
import io.botfleet.billing.v1.GetFleetCostSummaryResponse;
import io.botfleet.billing.v1.Period;
import io.botfleet.billing.v1.SplitRule;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Shared recurring costs: split across a group's bots day by day, in cents, caught up. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesResource.class)
class SharedCostTest extends BillingTestSupport {

  /** A day of June (30 days): a 204 USD machine costs 6.80 a day. */
  static final LocalDate DAY = LocalDate.of(2026, 6, 10);

  @Inject CostAccrualService accruals;

  @Test
  void aSharedMachineIsSplitEvenlyAcrossTheThreeBotsActiveThatDay() {
    String group = unique("spot-arb");
    List<String> bots = threeActiveBots(group, 10, 30, 60);
    String idle = registeredBot(unique("idle"), group);
    String standby = registeredBot(unique("standby"), group);
    FakeFleet.standby(standby);
    machine(group, SplitRule.SPLIT_RULE_EVEN);

    accruals.accrue(DAY);

    assertThat(bots.stream().map(this::infrastructure)).containsExactly("2.27", "2.27", "2.26");
    assertThat(infrastructure(idle)).isEqualTo("0.00");
    assertThat(infrastructure(standby)).isEqualTo("0.00");
    assertThat(fleet(DAY).getCostsByGroupMap()).containsEntry(group, "6.80");
  }

  @Test
  void byUsageEachActiveBotPaysForItsShareOfTheDaysTrades() {
    String group = unique("perp-momentum");
    List<String> bots = threeActiveBots(group, 10, 30, 60);
    machine(group, SplitRule.SPLIT_RULE_BY_USAGE);

    accruals.accrue(DAY);

    assertThat(bots.stream().map(this::infrastructure)).containsExactly("0.68", "2.04", "4.08");
  }

  @Test
  void withNobodyActiveTheRegisteredBotsShareAndWithNoBotsTheCostStaysInTheFleetTotal() {
    String quiet = unique("quiet");
    String a = registeredBot("a-" + quiet, quiet);
    String b = registeredBot("b-" + quiet, quiet);
    machine(quiet, SplitRule.SPLIT_RULE_EVEN);
    String empty = unique("empty");
    machine(empty, SplitRule.SPLIT_RULE_EVEN);

    accruals.accrue(DAY);

    assertThat(Stream.of(a, b).map(this::infrastructure)).containsExactlyInAnyOrder("3.40", "3.40");
    GetFleetCostSummaryResponse fleet = fleet(DAY);
    assertThat(fleet.getCostsByGroupMap()).containsEntry(empty, "6.80");
    assertThat(fleet.getCostsByBotList()).anyMatch(c -> c.getBotId().equals("unallocated"));
  }

  @Test
  void missedDaysAreCaughtUpOnceAndAnOutageOnlyDelaysThem() {
    String group = unique("options-mm");
    String bot = registeredBot(unique("mm"), group);
    LocalDate last = LocalDate.of(2026, 6, 20);
    setModel(
        CostModel.newBuilder()
            .setName(unique("catch-up"))
            .setCategory(CostCategory.COST_CATEGORY_MARKET_DATA)
            .setMonthlyAmountUsd("300.00")
            .setGroup(group)
            .setStartDate(last.minusDays(2).toString())
            .setEndDate(last.toString()));

    FakeFleet.down("health", true);
    try {
      accruals.accrue(last);
    } finally {
      FakeFleet.down("health", false);
    }
    String beforeRecovery = marketData(bot, last);
    accruals.accrue(last);
    accruals.accrue(last);

    assertThat(beforeRecovery).isEqualTo("0.00");
    assertThat(marketData(bot, last)).isEqualTo("30.00");
  }

  private List<String> threeActiveBots(String group, long... trades) {
    List<String> bots =
        Stream.of("a", "b", "c").map(n -> registeredBot(n + "-" + group, group)).sorted().toList();
    for (int i = 0; i < bots.size(); i++) {
      FakeFleet.dailyStat(bots.get(i), DAY, "10", trades[i]);
    }
    return bots;
  }

  private void machine(String group, SplitRule split) {
    setModel(
        CostModel.newBuilder()
            .setName(unique("shared host"))
            .setCategory(CostCategory.COST_CATEGORY_INFRASTRUCTURE)
            .setMonthlyAmountUsd("204.00")
            .setGroup(group)
            .setSplit(split)
            .setStartDate(DAY.toString())
            .setEndDate(DAY.toString()));
  }

  private String infrastructure(String bot) {
    return billing(viewer())
        .getBotCostSummary(
            GetBotCostSummaryRequest.newBuilder().setBotId(bot).setPeriod(day(DAY)).build())
        .getCostsByCategoryOrThrow("infrastructure");
  }

  private String marketData(String bot, LocalDate last) {
    return billing(viewer())
        .getBotCostSummary(
            GetBotCostSummaryRequest.newBuilder()
                .setBotId(bot)
                .setPeriod(
                    Period.newBuilder()
                        .setRange(
                            io.botfleet.billing.v1.DateRange.newBuilder()
                                .setStartDate(last.minusDays(2).toString())
                                .setEndDate(last.toString())))
                .build())
        .getCostsByCategoryOrThrow("market_data");
  }

  private GetFleetCostSummaryResponse fleet(LocalDate day) {
    return billing(viewer())
        .getFleetCostSummary(GetFleetCostSummaryRequest.newBuilder().setPeriod(day(day)).build());
  }
}
