package io.botfleet.fleet.fakes;

import com.google.rpc.Code;
import io.botfleet.billing.v1.BillingServiceGrpc;
import io.botfleet.billing.v1.BotCost;
import io.botfleet.billing.v1.CalculateRoiRequest;
import io.botfleet.billing.v1.CalculateRoiResponse;
import io.botfleet.billing.v1.GetBotCostSummaryRequest;
import io.botfleet.billing.v1.GetBotCostSummaryResponse;
import io.botfleet.billing.v1.GetFleetCostSummaryRequest;
import io.botfleet.billing.v1.GetFleetCostSummaryResponse;
import io.botfleet.billing.v1.GetRoiRankingRequest;
import io.botfleet.billing.v1.GetRoiRankingResponse;
import io.botfleet.billing.v1.Period;
import io.botfleet.billing.v1.Recommendation;
import io.botfleet.billing.v1.Roi;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-test billing-service: a cost per bot that a test sets, summed into the fleet summary and
 * the ROI ranking; a request without a period is refused as the real one refuses it.
 */
public final class FakeBilling extends BillingServiceGrpc.BillingServiceImplBase {

  public final Recorder recorder = new Recorder();
  private final Map<String, String> costs = new ConcurrentHashMap<>();

  /** Sets a bot's total cost (USD, decimal string). */
  public void cost(String botId, String usd) {
    costs.put(botId, usd);
  }

  @Override
  public void getFleetCostSummary(
      GetFleetCostSummaryRequest request, StreamObserver<GetFleetCostSummaryResponse> response) {
    if (recorder.failed("GetFleetCostSummary", request, response)
        || noPeriod(request.getPeriod(), response)) {
      return;
    }
    GetFleetCostSummaryResponse.Builder answer =
        GetFleetCostSummaryResponse.newBuilder().setPeriod(request.getPeriod());
    java.math.BigDecimal total = java.math.BigDecimal.ZERO;
    for (var entry : costs.entrySet()) {
      answer.addCostsByBot(
          BotCost.newBuilder().setBotId(entry.getKey()).setTotalCostUsd(entry.getValue()));
      total = total.add(new java.math.BigDecimal(entry.getValue()));
    }
    answer.setTotalFleetCostUsd(total.toPlainString());
    FakeIdentity.reply(response, answer.build());
  }

  @Override
  public void getBotCostSummary(
      GetBotCostSummaryRequest request, StreamObserver<GetBotCostSummaryResponse> response) {
    if (recorder.failed("GetBotCostSummary", request, response)
        || noPeriod(request.getPeriod(), response)) {
      return;
    }
    String cost = costs.get(request.getBotId());
    if (cost == null) {
      response.onError(
          FakeDeploy.error(
              Code.NOT_FOUND,
              "BOT_NOT_FOUND",
              "no costs for bot " + request.getBotId(),
              Map.of("bot_id", request.getBotId())));
      return;
    }
    FakeIdentity.reply(
        response,
        GetBotCostSummaryResponse.newBuilder()
            .setBotId(request.getBotId())
            .setTotalCostUsd(cost)
            .setPeriod(request.getPeriod())
            .build());
  }

  @Override
  public void calculateRoi(
      CalculateRoiRequest request, StreamObserver<CalculateRoiResponse> response) {
    if (recorder.failed("CalculateRoi", request, response)
        || noPeriod(request.getPeriod(), response)) {
      return;
    }
    FakeIdentity.reply(
        response,
        CalculateRoiResponse.newBuilder()
            .setRoi(roi(request.getBotId(), costs.getOrDefault(request.getBotId(), "0")))
            .build());
  }

  @Override
  public void getRoiRanking(
      GetRoiRankingRequest request, StreamObserver<GetRoiRankingResponse> response) {
    if (recorder.failed("GetRoiRanking", request, response)
        || noPeriod(request.getPeriod(), response)) {
      return;
    }
    GetRoiRankingResponse.Builder answer = GetRoiRankingResponse.newBuilder();
    costs.forEach((bot, cost) -> answer.addRanking(roi(bot, cost)));
    FakeIdentity.reply(response, answer.build());
  }

  private static Roi roi(String botId, String cost) {
    return Roi.newBuilder()
        .setBotId(botId)
        .setGrossPnlUsd("1000.00")
        .setTotalCostUsd(cost)
        .setNetPnlUsd(
            new java.math.BigDecimal("1000.00")
                .subtract(new java.math.BigDecimal(cost))
                .toPlainString())
        .setRecommendation(Recommendation.RECOMMENDATION_SHUT_DOWN)
        .build();
  }

  private static boolean noPeriod(Period period, StreamObserver<?> response) {
    if (period.getPeriodCase() != Period.PeriodCase.PERIOD_NOT_SET) {
      return false;
    }
    response.onError(
        io.grpc.protobuf.StatusProto.toStatusRuntimeException(
            com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage("period: set day, month or range")
                .addDetails(
                    com.google.protobuf.Any.pack(
                        com.google.rpc.BadRequest.newBuilder()
                            .addFieldViolations(
                                com.google.rpc.BadRequest.FieldViolation.newBuilder()
                                    .setField("period")
                                    .setDescription("set day, month or range"))
                            .build()))
                .build()));
    return true;
  }
}
