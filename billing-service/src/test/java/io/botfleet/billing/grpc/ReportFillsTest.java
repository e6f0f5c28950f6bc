package io.botfleet.billing.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.billing.BillingTestSupport;
import io.botfleet.billing.fakes.FakeServicesResource;
import io.botfleet.billing.v1.CostCategory;
import io.botfleet.billing.v1.CostEntry;
import io.botfleet.billing.v1.FillRejection;
import io.botfleet.billing.v1.GetBotCostSummaryRequest;
import io.botfleet.billing.v1.ListCostEntriesRequest;
import io.botfleet.billing.v1.ReportFillsRequest;
import io.botfleet.billing.v1.ReportFillsResponse;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ReportFills: exact fees per trade, duplicates counted once, bad fills refused one by one. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesResource.class)
class ReportFillsTest extends BillingTestSupport {

  static final LocalDate DAY = LocalDate.of(2026, 10, 7);

  @Test
  void aFillReportedTwiceCountsOnce() {
    String botId = registeredBot(unique("perp-momentum-01"), "perp-momentum");
    TestPrincipal bot = TestPrincipal.bot(botId).trustedBy(keyCache);
    ReportFillsRequest message =
        ReportFillsRequest.newBuilder()
            .addFills(fill("f-1", DAY, "0.25", "USDT", ""))
            .addFills(fill("f-2", DAY, "0.50", "USDT", ""))
            .addFills(fill("f-1", DAY, "0.25", "USDT", ""))
            .build();

    ReportFillsResponse first = reportFills(bot, List.of(message));
    ReportFillsResponse again = reportFills(bot, List.of(message, message));

    assertThat(first.getAccepted()).isEqualTo(2);
    assertThat(first.getDuplicates()).isEqualTo(1);
    assertThat(first.getFeesUsd()).isEqualTo("0.75");
    assertThat(again.getAccepted()).isZero();
    assertThat(again.getDuplicates()).isEqualTo(6);
    assertThat(again.getFeesUsd()).isEqualTo("0.00");
    assertThat(exchangeFees(botId)).isEqualTo("0.75");
    List<CostEntry> entries = entries(botId);
    assertThat(entries).hasSize(2);
    assertThat(entries)
        .allSatisfy(
            e -> {
              assertThat(e.getSource()).isEqualTo("fill");
              assertThat(e.getCategory()).isEqualTo(CostCategory.COST_CATEGORY_EXCHANGE_FEES);
              assertThat(e.getIncurredDate()).isEqualTo(DAY.toString());
            });
  }

  @Test
  void malformedFillsAreRefusedOneByOneNamingTheFieldAndTheRestAreBooked() {
    String botId = registeredBot(unique("perp-momentum-02"), "perp-momentum");
    TestPrincipal bot = TestPrincipal.bot(botId).trustedBy(keyCache);

    ReportFillsResponse answer =
        reportFills(
            bot,
            List.of(
                ReportFillsRequest.newBuilder()
                    .addFills(fill("ok-1", DAY, "0.10", "USDT", ""))
                    .addFills(fill("bnb-no-usd", DAY, "0.0002", "BNB", ""))
                    .addFills(fill("bnb-usd", DAY, "0.0002", "BNB", "0.12"))
                    .addFills(fill("bad-size", DAY, "0.10", "USDT", "").toBuilder().setSize("0"))
                    .addFills(fill("", DAY, "0.10", "USDT", ""))
                    .build()));

    assertThat(answer.getAccepted()).isEqualTo(2);
    assertThat(answer.getFeesUsd()).isEqualTo("0.22");
    assertThat(answer.getRejectedList())
        .extracting(FillRejection::getFillId, FillRejection::getField)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("bnb-no-usd", "fee_usd"),
            org.assertj.core.groups.Tuple.tuple("bad-size", "size"),
            org.assertj.core.groups.Tuple.tuple("", "fill_id"));
    assertThat(exchangeFees(botId)).isEqualTo("0.22");
  }

  @Test
  void theSameFillIdWithAnotherFeeIsRefusedAndTheBookedFeeStays() {
    String botId = registeredBot(unique("perp-momentum-03"), "perp-momentum");
    TestPrincipal bot = TestPrincipal.bot(botId).trustedBy(keyCache);
    reportFills(
        bot,
        List.of(ReportFillsRequest.newBuilder().addFills(fill("x", DAY, "1", "USD", "")).build()));

    ReportFillsResponse answer =
        reportFills(
            bot,
            List.of(
                ReportFillsRequest.newBuilder().addFills(fill("x", DAY, "9", "USD", "")).build()));

    assertThat(answer.getRejectedList())
        .extracting(FillRejection::getField)
        .containsExactly("fill_id");
    assertThat(exchangeFees(botId)).isEqualTo("1.00");
  }

  @Test
  void fillsAreBookedToTheBotThatOpenedTheStreamAndOperatorsCannotReportThem() {
    String botId = registeredBot(unique("perp-momentum-04"), "perp-momentum");
    TestPrincipal bot = TestPrincipal.bot(botId).trustedBy(keyCache);
    reportFills(bot, List.of(fills("own", 3, DAY, "0.01")));
    assertThat(exchangeFees(botId)).isEqualTo("0.03");

    assertThatThrownBy(() -> reportFills(operator(), List.of(fills("op", 1, DAY, "0.01"))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  @Test
  void aMessageOfMoreThanAThousandFillsFailsTheStreamKeepingWhatWasBooked() {
    String botId = registeredBot(unique("perp-momentum-05"), "perp-momentum");
    TestPrincipal bot = TestPrincipal.bot(botId).trustedBy(keyCache);

    assertThatThrownBy(
            () ->
                reportFills(
                    bot, List.of(fills("a", 2, DAY, "0.01"), fills("b", 1001, DAY, "0.01"))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("fills");
            });
    assertThat(exchangeFees(botId)).isEqualTo("0.02");
  }

  private String exchangeFees(String botId) {
    return billing(operator())
        .getBotCostSummary(
            GetBotCostSummaryRequest.newBuilder().setBotId(botId).setPeriod(day(DAY)).build())
        .getCostsByCategoryOrThrow("exchange_fees");
  }

  private List<CostEntry> entries(String botId) {
    return billing(viewer())
        .listCostEntries(
            ListCostEntriesRequest.newBuilder().setBotId(botId).setPeriod(day(DAY)).build())
        .getEntriesList();
  }
}
