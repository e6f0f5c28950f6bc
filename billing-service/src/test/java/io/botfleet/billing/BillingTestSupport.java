package io.botfleet.billing;

import com.google.protobuf.Timestamp;
import io.botfleet.billing.fakes.FakeFleet;
import io.botfleet.billing.v1.BillingServiceGrpc;
import io.botfleet.billing.v1.CostCategory;
import io.botfleet.billing.v1.CostEntry;
import io.botfleet.billing.v1.CostModel;
import io.botfleet.billing.v1.Fill;
import io.botfleet.billing.v1.Period;
import io.botfleet.billing.v1.RecordCostRequest;
import io.botfleet.billing.v1.RecordCostResponse;
import io.botfleet.billing.v1.ReportFillsRequest;
import io.botfleet.billing.v1.ReportFillsResponse;
import io.botfleet.billing.v1.SetCostModelRequest;
import io.botfleet.billing.v1.Side;
import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.devkit.GrpcTestSupport;
import io.botfleet.devkit.TestPrincipal;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What billing's gRPC tests share: principals the service trusts, signed stubs, and bots registered
 * with the fake fleet-service. Every test class carries the same three test resources (PostgreSQL,
 * the GreenHelix stand-in, the fake services), so Quarkus starts once for all.
 */
public abstract class BillingTestSupport extends GrpcTestSupport {

  @Inject protected KeyCache keyCache;

  /** An operator (role OPERATOR) the service trusts. */
  protected TestPrincipal operator() {
    return TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_OPERATOR).trustedBy(keyCache);
  }

  /** A viewer the service trusts. */
  protected TestPrincipal viewer() {
    return TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_VIEWER).trustedBy(keyCache);
  }

  /** The billing stub signed as {@code principal}. */
  protected static BillingServiceGrpc.BillingServiceBlockingStub billing(TestPrincipal principal) {
    return signed(principal, BillingServiceGrpc.newBlockingStub(channel));
  }

  /** A fresh bot id. */
  protected static String newBotId() {
    return "bot-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  /** A fresh name that no other test uses (groups, models). */
  protected static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Registers a new bot with the fake fleet-service and returns its id. */
  protected static String registeredBot(String name, String group) {
    String id = newBotId();
    FakeFleet.bot(id, name, group, "cross-exchange-arb", "binance");
    return id;
  }

  /** Records a manual cost as an operator. */
  protected RecordCostResponse recordCost(
      String botId, CostCategory category, String amount, LocalDate day) {
    return billing(operator())
        .recordCost(
            RecordCostRequest.newBuilder()
                .setBotId(botId)
                .setCategory(category)
                .setAmountUsd(amount)
                .setDescription("test cost")
                .setIncurredDate(day.toString())
                .setEntryKey(UUID.randomUUID().toString())
                .build());
  }

  /** Streams fill messages as {@code bot} and returns the answer given at the end. */
  protected static ReportFillsResponse reportFills(
      TestPrincipal bot, List<ReportFillsRequest> messages) {
    CompletableFuture<ReportFillsResponse> answer = new CompletableFuture<>();
    StreamObserver<ReportFillsRequest> stream =
        signed(bot, BillingServiceGrpc.newStub(channel))
            .reportFills(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ReportFillsResponse value) {
                    answer.complete(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    answer.completeExceptionally(new AssertionError("completed without answer"));
                  }
                });
    messages.forEach(stream::onNext);
    stream.onCompleted();
    try {
      return answer.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code count} fills on {@code day}, each with a fee of {@code fee} USDT. */
  protected static ReportFillsRequest fills(String prefix, int count, LocalDate day, String fee) {
    ReportFillsRequest.Builder message = ReportFillsRequest.newBuilder();
    for (int i = 0; i < count; i++) {
      message.addFills(fill(prefix + "-" + i, day, fee, "USDT", ""));
    }
    return message.build();
  }

  /** One BTC/USDT fill on binance at 10:00 UTC of {@code day}. */
  protected static Fill fill(
      String fillId, LocalDate day, String fee, String feeCurrency, String feeUsd) {
    return Fill.newBuilder()
        .setFillId(fillId)
        .setExchange("binance")
        .setPair("BTC/USDT")
        .setSide(Side.SIDE_BUY)
        .setSize("0.01")
        .setPrice("64000")
        .setFee(fee)
        .setFeeCurrency(feeCurrency)
        .setFeeUsd(feeUsd)
        .setFillTime(
            Timestamp.newBuilder().setSeconds(day.atTime(10, 0).toEpochSecond(ZoneOffset.UTC)))
        .build();
  }

  /** Sets a cost model as an operator. */
  protected CostModel setModel(CostModel.Builder model) {
    return billing(operator())
        .setCostModel(SetCostModelRequest.newBuilder().setModel(model).build())
        .getModel();
  }

  /** A day's period. */
  protected static Period day(LocalDate day) {
    return Period.newBuilder().setDay(day.toString()).build();
  }

  /** Records a manual cost and returns its entry. */
  protected CostEntry record(String botId, CostCategory category, String amount, LocalDate day) {
    return recordCost(botId, category, amount, day).getEntry();
  }
}
