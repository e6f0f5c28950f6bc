package io.botfleet.fleet.client;

import io.botfleet.billing.v1.BillingServiceGrpc;
import io.botfleet.billing.v1.CalculateRoiRequest;
import io.botfleet.billing.v1.CalculateRoiResponse;
import io.botfleet.billing.v1.GetBotCostSummaryRequest;
import io.botfleet.billing.v1.GetBotCostSummaryResponse;
import io.botfleet.billing.v1.GetFleetCostSummaryRequest;
import io.botfleet.billing.v1.GetFleetCostSummaryResponse;
import io.botfleet.billing.v1.GetRoiRankingRequest;
import io.botfleet.billing.v1.GetRoiRankingResponse;
import io.botfleet.common.grpc.RemoteErrors;
import io.botfleet.fleet.config.FleetConfig;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;

/**
 * fleet-service's calls to billing-service, for the REST gateway's cost reports. Requests and
 * answers pass through as they are; failures are translated as for every callee.
 */
@ApplicationScoped
public class BillingClient {

  private static final String SERVICE = "billing-service";
  private static final RemoteErrors ERRORS = new RemoteErrors("fleet-service");

  @GrpcClient("billing")
  Channel channel;

  @Inject FleetConfig config;

  /** GetFleetCostSummary. */
  public GetFleetCostSummaryResponse fleetSummary(GetFleetCostSummaryRequest request) {
    return ERRORS.call(SERVICE, "GetFleetCostSummary", () -> stub().getFleetCostSummary(request));
  }

  /** GetBotCostSummary. */
  public GetBotCostSummaryResponse botSummary(GetBotCostSummaryRequest request) {
    return ERRORS.call(SERVICE, "GetBotCostSummary", () -> stub().getBotCostSummary(request));
  }

  /** CalculateRoi. */
  public CalculateRoiResponse roi(CalculateRoiRequest request) {
    return ERRORS.call(SERVICE, "CalculateRoi", () -> stub().calculateRoi(request));
  }

  /** GetRoiRanking. */
  public GetRoiRankingResponse roiRanking(GetRoiRankingRequest request) {
    return ERRORS.call(SERVICE, "GetRoiRanking", () -> stub().getRoiRanking(request));
  }

  private BillingServiceGrpc.BillingServiceBlockingStub stub() {
    return BillingServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(config.callDeadline().toMillis(), TimeUnit.MILLISECONDS);
  }
}
