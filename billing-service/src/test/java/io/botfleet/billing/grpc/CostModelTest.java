package io.botfleet.billing.grpc;

import static io.botfleet.devkit.StatusDetails.badRequestFields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.billing.BillingTestSupport;
import io.botfleet.billing.fakes.FakeServicesResource;
import io.botfleet.billing.v1.CostCategory;
import io.botfleet.billing.v1.CostModel;
import io.botfleet.billing.v1.ListCostModelsRequest;
import io.botfleet.billing.v1.SplitRule;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** SetCostModel and ListCostModels: validation with the fields named, replacement by name. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesResource.class)
class CostModelTest extends BillingTestSupport {

  @Test
  void aModelSetAgainUnderItsNameIsReplacedAndListedOnce() {
    String name = unique("kaiko plan");
    String group = unique("options-mm");
    CostModel first =
        setModel(
            CostModel.newBuilder()
                .setName(name)
                .setCategory(CostCategory.COST_CATEGORY_MARKET_DATA)
                .setMonthlyAmountUsd("100")
                .setGroup(group)
                .setSplit(SplitRule.SPLIT_RULE_BY_USAGE)
                .setStartDate("2026-07-01"));
    CostModel second =
        setModel(first.toBuilder().setMonthlyAmountUsd("120.50").setEndDate("2026-07-31"));

    assertThat(second.getId()).isEqualTo(first.getId());
    assertThat(second.getMonthlyAmountUsd()).isEqualTo("120.50");
    assertThat(second.getGroup()).isEqualTo(group);
    assertThat(second.getSplit()).isEqualTo(SplitRule.SPLIT_RULE_BY_USAGE);
    assertThat(
            billing(viewer())
                .listCostModels(ListCostModelsRequest.getDefaultInstance())
                .getModelsList())
        .filteredOn(m -> m.getName().equals(name))
        .singleElement()
        .satisfies(m -> assertThat(m.getEndDate()).isEqualTo("2026-07-31"));
  }

  @Test
  void aBadModelNamesEveryFieldAtFault() {
    assertThatThrownBy(
            () ->
                setModel(
                    CostModel.newBuilder()
                        .setName(unique("bad"))
                        .setCategory(CostCategory.COST_CATEGORY_INFRASTRUCTURE)
                        .setMonthlyAmountUsd("204.005")
                        .setStartDate("2026-07-10")
                        .setEndDate("2026-07-01")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e ->
                assertThat(badRequestFields(e))
                    .containsExactly("model.attach", "model.end_date", "model.monthly_amount_usd"));
    assertThatThrownBy(
            () ->
                setModel(
                    CostModel.newBuilder()
                        .setName(unique("bad"))
                        .setCategory(CostCategory.COST_CATEGORY_INFRASTRUCTURE)
                        .setMonthlyAmountUsd("10")
                        .setBotId(registeredBot(unique("a"), "g"))
                        .setSplit(SplitRule.SPLIT_RULE_BY_USAGE)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(badRequestFields(e)).containsExactly("model.split"));
  }
}
