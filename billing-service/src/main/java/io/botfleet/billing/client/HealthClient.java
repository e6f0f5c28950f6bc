package io.botfleet.billing.client;

import io.botfleet.billing.config.BillingConfig;
import io.botfleet.billing.domain.DailyStat;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.health.v1.GetDailyStatsRequest;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** health-service, for each bot's daily PnL and trades (gross PnL, usage splits). */
@ApplicationScoped
public class HealthClient {

  /** Bots per request: a month of days for 500 bots stays far below gRPC's 4 MiB message limit. */
  private static final int BOTS_PER_CALL = 500;

  @GrpcClient("health")
  Channel channel;

  @Inject BillingConfig config;

  /**
   * The days with data of these bots between {@code start} and {@code end} inclusive (at most 366
   * days apart). An empty list of bots asks for nothing.
   */
  public List<DailyStat> dailyStats(List<String> botIds, LocalDate start, LocalDate end) {
    List<DailyStat> stats = new ArrayList<>();
    for (int from = 0; from < botIds.size(); from += BOTS_PER_CALL) {
      List<String> chunk = botIds.subList(from, Math.min(botIds.size(), from + BOTS_PER_CALL));
      try {
        FleetHealthServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(config.clients().deadline().toMillis(), TimeUnit.MILLISECONDS)
            .getDailyStats(
                GetDailyStatsRequest.newBuilder()
                    .addAllBotIds(chunk)
                    .setStartDate(start.toString())
                    .setEndDate(end.toString())
                    .build())
            .getStatsList()
            .forEach(
                s ->
                    stats.add(
                        new DailyStat(
                            s.getBotId(),
                            LocalDate.parse(s.getDate()),
                            s.getPnlUsd().isEmpty()
                                ? BigDecimal.ZERO
                                : new BigDecimal(s.getPnlUsd()),
                            s.getTradeCount())));
      } catch (StatusRuntimeException e) {
        throw RemoteCalls.failure("health", "GetDailyStats", e);
      }
    }
    return stats;
  }
}
