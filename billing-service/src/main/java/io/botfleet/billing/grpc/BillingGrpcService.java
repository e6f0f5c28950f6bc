package io.botfleet.billing.grpc;

import io.botfleet.billing.domain.Period;
import io.botfleet.billing.service.BudgetService;
import io.botfleet.billing.service.CostModelService;
import io.botfleet.billing.service.CostReportService;
import io.botfleet.billing.service.CostService;
import io.botfleet.billing.service.FillService;
import io.botfleet.billing.service.RoiService;
import io.botfleet.billing.v1.BillingServiceGrpc;
import io.botfleet.billing.v1.CalculateRoiRequest;
import io.botfleet.billing.v1.CalculateRoiResponse;
import io.botfleet.billing.v1.GetBotCostSummaryRequest;
import io.botfleet.billing.v1.GetBotCostSummaryResponse;
import io.botfleet.billing.v1.GetFleetCostSummaryRequest;
import io.botfleet.billing.v1.GetFleetCostSummaryResponse;
import io.botfleet.billing.v1.GetRoiRankingRequest;
import io.botfleet.billing.v1.GetRoiRankingResponse;
import io.botfleet.billing.v1.ListBudgetAlertsRequest;
import io.botfleet.billing.v1.ListBudgetAlertsResponse;
import io.botfleet.billing.v1.ListCostEntriesRequest;
import io.botfleet.billing.v1.ListCostEntriesResponse;
import io.botfleet.billing.v1.ListCostModelsRequest;
import io.botfleet.billing.v1.ListCostModelsResponse;
import io.botfleet.billing.v1.RecordCostRequest;
import io.botfleet.billing.v1.RecordCostResponse;
import io.botfleet.billing.v1.ReportFillsRequest;
import io.botfleet.billing.v1.ReportFillsResponse;
import io.botfleet.billing.v1.SetBudgetRequest;
import io.botfleet.billing.v1.SetBudgetResponse;
import io.botfleet.billing.v1.SetCostModelRequest;
import io.botfleet.billing.v1.SetCostModelResponse;
import io.botfleet.common.auth.Caller;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.common.grpc.RawRequests;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The billing.v1 adapter. */
@GrpcService
public class BillingGrpcService extends BillingServiceGrpc.BillingServiceImplBase {

  @Inject CostService costs;
  @Inject FillService fills;
  @Inject CostModelService models;
  @Inject BudgetService budgets;
  @Inject CostReportService reports;
  @Inject RoiService rois;

  /** Books fill messages off the event loop; each stream uses one of them at a time. */
  private final ExecutorService fillWorkers =
      Executors.newFixedThreadPool(
          4,
          runnable -> {
            Thread thread = new Thread(runnable, "fill-booking");
            thread.setDaemon(true);
            return thread;
          });

  @Override
  public ServerServiceDefinition bindService() {
    return RawRequests.bind(super.bindService());
  }

  void stop(@Observes ShutdownEvent event) {
    fillWorkers.shutdown();
  }

  @Override
  public StreamObserver<ReportFillsRequest> reportFills(
      StreamObserver<ReportFillsResponse> response) {
    // The access rule admits bots only; the stream is bound to the bot that opened it.
    String botId = Caller.current().agentId();
    ServerCallStreamObserver<ReportFillsResponse> call =
        (ServerCallStreamObserver<ReportFillsResponse>) response;
    call.disableAutoRequest();
    FillStream stream = new FillStream(botId, fills, call, fillWorkers);
    stream.start();
    return stream;
  }

  @Override
  @Blocking
  public void recordCost(RecordCostRequest request, StreamObserver<RecordCostResponse> response) {
    CostService.Recorded recorded = costs.record(BillingMapper.toRecord(request));
    RecordCostResponse.Builder answer =
        RecordCostResponse.newBuilder().setEntry(BillingMapper.toProto(recorded.entry()));
    recorded.alerts().forEach(a -> answer.addAlerts(BillingMapper.toProto(a)));
    reply(response, answer.build());
  }

  @Override
  @Blocking
  public void setCostModel(
      SetCostModelRequest request, StreamObserver<SetCostModelResponse> response) {
    if (!request.hasModel()) {
      throw new InvalidArgumentException("model", "is required");
    }
    var model = models.set(BillingMapper.toModel(request));
    reply(
        response, SetCostModelResponse.newBuilder().setModel(BillingMapper.toProto(model)).build());
  }

  @Override
  @Blocking
  public void listCostModels(
      ListCostModelsRequest request, StreamObserver<ListCostModelsResponse> response) {
    ListCostModelsResponse.Builder answer = ListCostModelsResponse.newBuilder();
    models.list().forEach(m -> answer.addModels(BillingMapper.toProto(m)));
    reply(response, answer.build());
  }

  @Override
  @Blocking
  public void setBudget(SetBudgetRequest request, StreamObserver<SetBudgetResponse> response) {
    if (!request.hasBudget()) {
      throw new InvalidArgumentException("budget", "is required");
    }
    var budget = budgets.set(BillingMapper.toBudget(request));
    reply(
        response, SetBudgetResponse.newBuilder().setBudget(BillingMapper.toProto(budget)).build());
  }

  @Override
  @Blocking
  public void getBotCostSummary(
      GetBotCostSummaryRequest request, StreamObserver<GetBotCostSummaryResponse> response) {
    requireBotId(request.getBotId());
    Caller.requireSelfIfBot(request.getBotId());
    Period period = PeriodMapper.period(request.getPeriod(), request.hasPeriod(), "period");
    reply(response, ReportMapper.toProto(reports.bot(request.getBotId(), period)));
  }

  @Override
  @Blocking
  public void getFleetCostSummary(
      GetFleetCostSummaryRequest request, StreamObserver<GetFleetCostSummaryResponse> response) {
    Period period = PeriodMapper.period(request.getPeriod(), request.hasPeriod(), "period");
    reply(response, ReportMapper.toProto(reports.fleet(period)));
  }

  @Override
  @Blocking
  public void listCostEntries(
      ListCostEntriesRequest request, StreamObserver<ListCostEntriesResponse> response) {
    reply(response, Pages.costEntries(request, reports));
  }

  @Override
  @Blocking
  public void calculateRoi(
      CalculateRoiRequest request, StreamObserver<CalculateRoiResponse> response) {
    requireBotId(request.getBotId());
    Caller.requireSelfIfBot(request.getBotId());
    Period period = PeriodMapper.period(request.getPeriod(), request.hasPeriod(), "period");
    reply(
        response,
        CalculateRoiResponse.newBuilder()
            .setRoi(ReportMapper.toProto(rois.calculate(request.getBotId(), period)))
            .build());
  }

  @Override
  @Blocking
  public void getRoiRanking(
      GetRoiRankingRequest request, StreamObserver<GetRoiRankingResponse> response) {
    Period period = PeriodMapper.period(request.getPeriod(), request.hasPeriod(), "period");
    GetRoiRankingResponse.Builder answer = GetRoiRankingResponse.newBuilder();
    rois.ranking(period).forEach(r -> answer.addRanking(ReportMapper.toProto(r)));
    reply(response, answer.build());
  }

  @Override
  @Blocking
  public void listBudgetAlerts(
      ListBudgetAlertsRequest request, StreamObserver<ListBudgetAlertsResponse> response) {
    reply(response, Pages.budgetAlerts(request, budgets));
  }

  private static void requireBotId(String botId) {
    if (botId.isEmpty()) {
      throw new InvalidArgumentException("bot_id", "is required");
    }
  }

  private static <T> void reply(StreamObserver<T> response, T answer) {
    response.onNext(answer);
    response.onCompleted();
  }
}
