package io.botfleet.billing.grpc;

import static io.botfleet.devkit.StatusDetails.badRequestFields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.botfleet.billing.BillingTestSupport;
import io.botfleet.billing.fakes.FakeFleet;
import io.botfleet.billing.fakes.FakeServicesResource;
import io.botfleet.billing.service.BudgetPauseService;
import io.botfleet.billing.v1.Budget;
import io.botfleet.billing.v1.BudgetAlert;
import io.botfleet.billing.v1.BudgetAlertKind;
import io.botfleet.billing.v1.CostCategory;
import io.botfleet.billing.v1.GetBotCostSummaryRequest;
import io.botfleet.billing.v1.GetBotCostSummaryResponse;
import io.botfleet.billing.v1.ListBudgetAlertsRequest;
import io.botfleet.billing.v1.RecordCostResponse;
import io.botfleet.billing.v1.SetBudgetRequest;
import io.botfleet.devkit.GreenHelixStandIn;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Budgets: the 80 % and 100 % thresholds to the cent, alerts once, and the pause over budget. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesResource.class)
class BudgetTest extends BillingTestSupport {

  static final CostCategory INFRA = CostCategory.COST_CATEGORY_INFRASTRUCTURE;

  @Inject BudgetPauseService pauses;

  final LocalDate today = LocalDate.now(ZoneOffset.UTC);

  @Test
  void exactlyEightyAndExactlyOneHundredPercentRaiseNothingNewAndACentMoreDoes() {
    String bot = registeredBot(unique("arb"), unique("group"));
    setBudget(Budget.newBuilder().setBotId(bot).setMonthlyBudgetUsd("500"));

    assertThat(recordCost(bot, INFRA, "400.00", today).getAlertsList()).isEmpty();
    List<BudgetAlert> warning = recordCost(bot, INFRA, "0.01", today).getAlertsList();
    assertThat(recordCost(bot, INFRA, "99.99", today).getAlertsList()).isEmpty();
    List<BudgetAlert> exceeded = recordCost(bot, INFRA, "0.01", today).getAlertsList();
    assertThat(recordCost(bot, INFRA, "10", today).getAlertsList()).isEmpty();

    assertThat(warning)
        .extracting(BudgetAlert::getKind)
        .containsExactly(BudgetAlertKind.BUDGET_ALERT_KIND_WARNING);
    assertThat(warning.get(0).getSpentUsd()).isEqualTo("400.01");
    assertThat(warning.get(0).getUtilizationPct()).isEqualTo("80.0");
    assertThat(warning.get(0).getBudgetUsd()).isEqualTo("500.00");
    assertThat(warning.get(0).getPeriod()).isEqualTo(YearMonth.from(today).toString());
    assertThat(exceeded)
        .extracting(BudgetAlert::getKind)
        .containsExactly(BudgetAlertKind.BUDGET_ALERT_KIND_EXCEEDED);
    assertThat(exceeded.get(0).getSpentUsd()).isEqualTo("500.01");
    assertThat(exceeded.get(0).getBotPaused()).isFalse();
    assertThat(alerts(bot))
        .extracting(BudgetAlert::getKind)
        .containsExactly(
            BudgetAlertKind.BUDGET_ALERT_KIND_EXCEEDED, BudgetAlertKind.BUDGET_ALERT_KIND_WARNING);
    assertThat(summary(bot).getBudgetUtilizationPct()).isEqualTo("102.0");
  }

  @Test
  void theGuidesGroupBudgetsApplyToBotsWithoutTheirOwn() {
    String arb = registeredBot(unique("spot-arb"), "spot-arb");
    String mm = registeredBot(unique("options-mm"), "options-mm");
    record(arb, INFRA, "1.00", today);

    assertThat(summary(arb).getBudgetUsd()).isEqualTo("500.00");
    assertThat(summary(arb).getBudgetUtilizationPct()).isEqualTo("0.2");
    assertThat(summary(mm).getBudgetUsd()).isEqualTo("1500.00");
    assertThat(summary(registeredBot(unique("x"), unique("no-budget"))).getBudgetUsd()).isEmpty();
  }

  @Test
  void overBudgetWithPauseChosenForTheGroupPausesThatOneBotThroughAFleetOutage() {
    String group = unique("options-mm");
    String bot = registeredBot(unique("mm"), group);
    String neighbour = registeredBot(unique("mm"), group);
    setBudget(
        Budget.newBuilder().setGroup(group).setMonthlyBudgetUsd("100").setPauseWhenExceeded(true));
    FakeFleet.failNextPauses(1);

    RecordCostResponse answer = recordCost(bot, INFRA, "100.01", today);

    assertThat(answer.getAlertsList())
        .extracting(BudgetAlert::getKind)
        .containsExactly(
            BudgetAlertKind.BUDGET_ALERT_KIND_WARNING, BudgetAlertKind.BUDGET_ALERT_KIND_EXCEEDED);
    assertThat(answer.getAlerts(1).getBotPaused()).isFalse();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              pauses.runDue(bot);
              return !FakeFleet.pausesOf(bot).isEmpty();
            });
    pauses.runDue("");
    List<FakeFleet.PauseCall> calls = FakeFleet.pausesOf(bot);
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).signedBy()).isEqualTo("svc-billing");
    assertThat(calls.get(0).reason()).startsWith("budget_exceeded: spent 100.01 of 100.00 USD");
    assertThat(calls.get(0).requestId()).startsWith("billing-budget-pause-");
    assertThat(FakeFleet.pausesOf(neighbour)).isEmpty();
    assertThat(alerts(bot).get(0).getBotPaused()).isTrue();
    GreenHelixStandIn greenHelix = GreenHelixTestResource.standIn();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                greenHelix.accepted("publish_event").stream()
                    .anyMatch(
                        c ->
                            c.input().get("agent_id").asText().equals(bot)
                                && c.input()
                                    .get("event_type")
                                    .asText()
                                    .equals("fleet.budget_exceeded")));
    assertThat(greenHelix.violations()).isEmpty();
  }

  @Test
  void aLateEntryThatPutsAPastMonthOverBudgetAlertsThatMonthButPausesNothing() {
    String bot = registeredBot(unique("arb"), unique("group"));
    setBudget(
        Budget.newBuilder().setBotId(bot).setMonthlyBudgetUsd("100").setPauseWhenExceeded(true));
    LocalDate lastMonth = today.minusMonths(1).withDayOfMonth(3);

    List<BudgetAlert> raised = recordCost(bot, INFRA, "150", lastMonth).getAlertsList();
    pauses.runDue("");

    assertThat(raised)
        .extracting(BudgetAlert::getPeriod)
        .containsOnly(YearMonth.from(lastMonth).toString());
    assertThat(raised)
        .extracting(BudgetAlert::getKind)
        .contains(BudgetAlertKind.BUDGET_ALERT_KIND_EXCEEDED);
    assertThat(FakeFleet.pausesOf(bot)).isEmpty();
    assertThat(summary(bot).getBudgetUtilizationPct()).isEqualTo("0.0");
  }

  @Test
  void aBudgetLoweredBelowThisMonthsSpendAlertsAtOnce() {
    String bot = registeredBot(unique("arb"), unique("group"));
    record(bot, INFRA, "300", today);

    setBudget(Budget.newBuilder().setBotId(bot).setMonthlyBudgetUsd("200"));

    assertThat(alerts(bot))
        .extracting(BudgetAlert::getKind)
        .containsExactlyInAnyOrder(
            BudgetAlertKind.BUDGET_ALERT_KIND_WARNING, BudgetAlertKind.BUDGET_ALERT_KIND_EXCEEDED);
  }

  @Test
  void aBadBudgetNamesItsFieldsAndViewersCannotSetOne() {
    assertThatThrownBy(
            () -> setBudget(Budget.newBuilder().setBotId(newBotId()).setMonthlyBudgetUsd("-1")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(badRequestFields(e)).containsExactly("budget.monthly_budget_usd"));
    assertThatThrownBy(
            () ->
                setBudget(
                    Budget.newBuilder()
                        .setBotId(newBotId())
                        .setGroup("g")
                        .setMonthlyBudgetUsd("1")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(badRequestFields(e)).containsExactly("budget"));
    assertThatThrownBy(
            () ->
                billing(viewer())
                    .setBudget(
                        SetBudgetRequest.newBuilder()
                            .setBudget(Budget.newBuilder().setGroup("g").setMonthlyBudgetUsd("1"))
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  @Test
  void alertsFilterByKindAndPageNewestFirst() {
    String bot = registeredBot(unique("arb"), unique("group"));
    setBudget(Budget.newBuilder().setBotId(bot).setMonthlyBudgetUsd("10"));
    record(bot, INFRA, "9", today);
    setBudget(Budget.newBuilder().setBotId(bot).setMonthlyBudgetUsd("8"));
    setBudget(Budget.newBuilder().setBotId(bot).setMonthlyBudgetUsd("7"));

    var exceeded =
        billing(viewer())
            .listBudgetAlerts(
                ListBudgetAlertsRequest.newBuilder()
                    .setBotId(bot)
                    .setKind(BudgetAlertKind.BUDGET_ALERT_KIND_EXCEEDED)
                    .build())
            .getAlertsList();
    var firstPage =
        billing(viewer())
            .listBudgetAlerts(
                ListBudgetAlertsRequest.newBuilder().setBotId(bot).setPageSize(3).build());
    var secondPage =
        billing(viewer())
            .listBudgetAlerts(
                ListBudgetAlertsRequest.newBuilder()
                    .setBotId(bot)
                    .setPageSize(3)
                    .setPageToken(firstPage.getNextPageToken())
                    .build());

    assertThat(exceeded).extracting(BudgetAlert::getBudgetUsd).containsExactly("7.00", "8.00");
    assertThat(firstPage.getAlertsList()).hasSize(3);
    assertThat(secondPage.getAlertsList()).hasSize(2);
    assertThat(secondPage.getNextPageToken()).isEmpty();
    assertThat(secondPage.getAlerts(1).getBudgetUsd()).isEqualTo("10.00");
  }

  private Budget setBudget(Budget.Builder budget) {
    return billing(operator())
        .setBudget(SetBudgetRequest.newBuilder().setBudget(budget).build())
        .getBudget();
  }

  private List<BudgetAlert> alerts(String bot) {
    return billing(viewer())
        .listBudgetAlerts(ListBudgetAlertsRequest.newBuilder().setBotId(bot).build())
        .getAlertsList();
  }

  private GetBotCostSummaryResponse summary(String bot) {
    return billing(viewer())
        .getBotCostSummary(GetBotCostSummaryRequest.newBuilder().setBotId(bot).build());
  }
}
