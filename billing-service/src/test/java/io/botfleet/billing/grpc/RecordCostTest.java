package io.botfleet.billing.grpc;

import static io.botfleet.devkit.StatusDetails.badRequestFields;
import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.billing.BillingTestSupport;
import io.botfleet.billing.fakes.FakeFleet;
import io.botfleet.billing.fakes.FakeServicesResource;
import io.botfleet.billing.persistence.CostEntryRepository;
import io.botfleet.billing.service.BotDirectory;
import io.botfleet.billing.v1.BillingServiceGrpc;
import io.botfleet.billing.v1.CostCategory;
import io.botfleet.billing.v1.CostEntry;
import io.botfleet.billing.v1.RecordCostRequest;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesResource.class)
class RecordCostTest extends BillingTestSupport {

  static final String BOT = "bot-0000000000000001";

  @Inject CostEntryRepository entries;
  @Inject BotDirectory directory;

  @BeforeAll
  static void registerTheBot() {
    FakeFleet.bot(BOT, "spot-arb-01", "spot-arb", "cross-exchange-arb", "binance");
  }

  @Test
  void aCostIsBookedExactlyToTheDayItWasIncurred() {
    TestPrincipal operator = operator();
    CostEntry entry =
        record(
            operator,
            request("infrastructure-oct").setAmountUsd("6.80").setIncurredDate("2026-10-15"));

    assertThat(entry.getAmountUsd()).isEqualTo("6.80");
    assertThat(entry.getIncurredDate()).isEqualTo("2026-10-15");
    assertThat(entry.getPeriod()).isEqualTo("2026-10");
    assertThat(entry.getRecordedBy()).isEqualTo(operator.agentId());
    assertThat(entry.getSource()).isEqualTo("manual");
    BigDecimal stored =
        QuarkusTransaction.requiringNew()
            .call(() -> entries.findById(UUID.fromString(entry.getId())).amountUsd);
    assertThat(stored).isEqualByComparingTo("6.80");
  }

  @Test
  void decimalsStayExactBeyondWhatADoubleCanHold() {
    CostEntry entry = record(operator(), request("precise").setAmountUsd("0.10000001"));
    assertThat(entry.getAmountUsd()).isEqualTo("0.10000001");
  }

  @Test
  void theSameEntryKeyBooksOnceAndADifferentCostUnderItIsRefused() {
    RecordCostRequest.Builder request = request("once-" + UUID.randomUUID()).setAmountUsd("12.50");
    CostEntry first = record(operator(), request);
    CostEntry retried = record(operator(), request);

    assertThat(retried.getId()).isEqualTo(first.getId());
    assertThatThrownBy(() -> record(operator(), request.clone().setAmountUsd("99")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
              assertThat(errorInfo(e).getReason()).isEqualTo("ENTRY_KEY_REUSED");
            });
  }

  @Test
  void badInputNamesEveryFieldAndBooksNothing() {
    String key = "bad-" + UUID.randomUUID();
    RecordCostRequest.Builder bad =
        RecordCostRequest.newBuilder()
            .setBotId(BOT)
            .setCategory(CostCategory.COST_CATEGORY_INFRASTRUCTURE)
            .setAmountUsd("-5")
            .setIncurredDate(LocalDate.now(ZoneOffset.UTC).plusDays(2).toString())
            .setEntryKey(key);

    assertThatThrownBy(() -> record(operator(), bad))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(badRequestFields(e))
                  .containsExactly("amount_usd", "description", "incurred_date");
            });
    assertThat(QuarkusTransaction.requiringNew().call(() -> entries.findByEntryKey(key))).isEmpty();

    assertThatThrownBy(() -> record(operator(), request("nan").setAmountUsd("NaN")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(badRequestFields(e)).containsExactly("amount_usd"));
  }

  @Test
  void aViewerMayNotRecordCosts() {
    TestPrincipal viewer =
        TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_VIEWER).trustedBy(keyCache);
    assertThatThrownBy(() -> record(viewer, request("viewer")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  @Test
  void aBotFleetServiceDoesNotKnowIsNotFound() {
    assertThatThrownBy(() -> record(operator(), request("typo").setBotId(newBotId())))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(errorInfo(e).getReason()).isEqualTo("BOT_NOT_FOUND");
            });
  }

  @Test
  void whileFleetIsDownTheCostIsBookedByIdAndNamedWhenFleetAnswersAgain() {
    String botId = newBotId();
    FakeFleet.bot(botId, "perp-momentum-03", "perp-momentum", "trend-following-perps", "okx");
    FakeFleet.down("fleet", true);
    CostEntry entry;
    try {
      entry = record(operator(), request("fleet-down").setBotId(botId));
    } finally {
      FakeFleet.down("fleet", false);
    }
    assertThat(entry.getBotName()).isEmpty();

    directory.refresh();

    String stored =
        QuarkusTransaction.requiringNew()
            .call(() -> entries.findById(UUID.fromString(entry.getId())).botName);
    assertThat(stored).isEqualTo("perp-momentum-03");
  }

  private static RecordCostRequest.Builder request(String key) {
    return RecordCostRequest.newBuilder()
        .setBotId(BOT)
        .setCategory(CostCategory.COST_CATEGORY_INFRASTRUCTURE)
        .setAmountUsd("6.80")
        .setDescription("c5.xlarge, 204 USD a month / 30")
        .setEntryKey(key + "-" + UUID.randomUUID());
  }

  private static CostEntry record(TestPrincipal principal, RecordCostRequest.Builder request) {
    return signed(principal, BillingServiceGrpc.newBlockingStub(channel))
        .recordCost(request.build())
        .getEntry();
  }
}
