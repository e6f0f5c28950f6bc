package io.botfleet.deploy.client;

import io.botfleet.common.grpc.RemoteErrors;
import io.botfleet.deploy.config.DeployConfig;
import io.botfleet.deploy.domain.BotHealth;
import io.botfleet.deploy.domain.HealthEvent;
import io.botfleet.deploy.domain.HealthStatus;
import io.botfleet.deploy.domain.HeartbeatSample;
import io.botfleet.health.v1.DailyStat;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.health.v1.GetBotHealthRequest;
import io.botfleet.health.v1.GetDailyStatsRequest;
import io.botfleet.health.v1.GetHeartbeatHistoryRequest;
import io.botfleet.health.v1.HealthEventType;
import io.botfleet.health.v1.HealthIssue;
import io.botfleet.health.v1.HeartbeatPoint;
import io.botfleet.health.v1.HeartbeatRecord;
import io.botfleet.health.v1.WatchHealthRequest;
import io.botfleet.health.v1.WatchHealthResponse;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * deploy-service's calls to health-service: a bot's latest health (status, version, open orders),
 * PnL today (to choose the canary), heartbeat history (for the gates), and the WatchHealth stream
 * (status changes, dead bots, version changes). Unary calls have deadlines; the stream has none (it
 * is meant to stay open) and its follower reopens it from the last sequence it saw.
 */
@ApplicationScoped
public class HealthClient {

  private static final String SERVICE = "health-service";
  private static final RemoteErrors ERRORS = new RemoteErrors("deploy-service");

  /** The events deployments follow. */
  private static final List<HealthEventType> WATCHED =
      List.of(
          HealthEventType.HEALTH_EVENT_TYPE_STATUS_CHANGED,
          HealthEventType.HEALTH_EVENT_TYPE_BOT_DEAD,
          HealthEventType.HEALTH_EVENT_TYPE_BOT_RECOVERED,
          HealthEventType.HEALTH_EVENT_TYPE_VERSION_CHANGED);

  @GrpcClient("health")
  Channel channel;

  @Inject DeployConfig config;

  /** Receives a watch's events, on a gRPC thread, one at a time. */
  public interface WatchListener {
    /** One event. */
    void onEvent(HealthEvent event);

    /** The stream ended; {@code cause} is null when the server completed it. */
    void onEnd(Throwable cause);
  }

  /** A bot's current health and its latest heartbeat's version and open orders. */
  public BotHealth botHealth(String botId) {
    io.botfleet.health.v1.BotHealth health =
        ERRORS
            .call(
                SERVICE,
                "GetBotHealth",
                () -> stub().getBotHealth(GetBotHealthRequest.newBuilder().setBotId(botId).build()))
            .getHealth();
    HeartbeatRecord latest = health.hasLatest() ? health.getLatest() : null;
    boolean heard = latest != null && latest.hasHeartbeat();
    return new BotHealth(
        botId,
        toDomain(health.getStatus()),
        health.getIssuesList().stream().map(HealthIssue::getText).toList(),
        heard ? latest.getHeartbeat().getVersion() : null,
        heard && latest.hasReceiveTime() ? FleetClient.instant(latest.getReceiveTime()) : null,
        heard ? latest.getHeartbeat().getOpenOrders() : null);
  }

  /** Today's PnL (UTC day) of each bot that reported one; bots without one are absent. */
  public Map<String, BigDecimal> pnlToday(Collection<String> botIds, LocalDate today) {
    GetDailyStatsRequest request =
        GetDailyStatsRequest.newBuilder()
            .addAllBotIds(botIds)
            .setStartDate(today.toString())
            .setEndDate(today.toString())
            .build();
    Map<String, BigDecimal> pnl = new HashMap<>();
    for (DailyStat stat :
        ERRORS.call(SERVICE, "GetDailyStats", () -> stub().getDailyStats(request)).getStatsList()) {
      if (stat.getDate().equals(today.toString()) && !stat.getPnlUsd().isEmpty()) {
        try {
          pnl.put(stat.getBotId(), new BigDecimal(stat.getPnlUsd()));
        } catch (NumberFormatException e) {
          // A malformed figure says nothing about what the bot has at stake: leave it out.
        }
      }
    }
    return pnl;
  }

  /** A bot's heartbeats in [start, end), oldest first. */
  public List<HeartbeatSample> history(String botId, Instant start, Instant end) {
    GetHeartbeatHistoryRequest request =
        GetHeartbeatHistoryRequest.newBuilder()
            .setBotId(botId)
            .setStartTime(timestamp(start))
            .setEndTime(timestamp(end))
            .setMaxPoints(config.historyMaxPoints())
            .build();
    return ERRORS
        .call(SERVICE, "GetHeartbeatHistory", () -> stub().getHeartbeatHistory(request))
        .getPointsList()
        .stream()
        .map(HealthClient::toDomain)
        .toList();
  }

  /**
   * Follows status changes, dead and recovered bots, and version changes after {@code
   * afterSequence}.
   *
   * @return what cancels the watch
   */
  public Runnable watch(long afterSequence, WatchListener listener) {
    Context.CancellableContext context = Context.current().fork().withCancellation();
    WatchHealthRequest request =
        WatchHealthRequest.newBuilder()
            .setAfterSequence(afterSequence)
            .addAllTypes(WATCHED)
            .build();
    context.run(
        () ->
            FleetHealthServiceGrpc.newStub(channel)
                .watchHealth(
                    request,
                    new StreamObserver<>() {
                      @Override
                      public void onNext(WatchHealthResponse event) {
                        listener.onEvent(toDomain(event));
                      }

                      @Override
                      public void onError(Throwable t) {
                        listener.onEnd(t);
                      }

                      @Override
                      public void onCompleted() {
                        listener.onEnd(null);
                      }
                    }));
    return () -> context.cancel(null);
  }

  private FleetHealthServiceGrpc.FleetHealthServiceBlockingStub stub() {
    return FleetHealthServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(config.callDeadline().toMillis(), TimeUnit.MILLISECONDS);
  }

  static HealthEvent toDomain(WatchHealthResponse e) {
    HealthEvent.Type type =
        switch (e.getType()) {
          case HEALTH_EVENT_TYPE_STATUS_CHANGED -> HealthEvent.Type.STATUS_CHANGED;
          case HEALTH_EVENT_TYPE_BOT_DEAD -> HealthEvent.Type.BOT_DEAD;
          case HEALTH_EVENT_TYPE_BOT_RECOVERED -> HealthEvent.Type.BOT_RECOVERED;
          case HEALTH_EVENT_TYPE_VERSION_CHANGED -> HealthEvent.Type.VERSION_CHANGED;
          default -> HealthEvent.Type.OTHER;
        };
    return new HealthEvent(
        e.getSequence(), type, e.getBotId(), toDomain(e.getStatus()), e.getVersion());
  }

  private static HeartbeatSample toDomain(HeartbeatPoint p) {
    return new HeartbeatSample(
        FleetClient.instant(p.getTime()),
        p.getSamples(),
        p.getHeartbeat().getVersion(),
        p.getHeartbeat().getErrorCount(),
        p.getHeartbeat().getHeartbeatLatencyMs(),
        p.getHeartbeat().getDrawdownPct(),
        toDomain(p.getStatus()));
  }

  static HealthStatus toDomain(io.botfleet.health.v1.HealthStatus status) {
    return switch (status) {
      case HEALTH_STATUS_HEALTHY -> HealthStatus.HEALTHY;
      case HEALTH_STATUS_WARNING -> HealthStatus.WARNING;
      case HEALTH_STATUS_CRITICAL -> HealthStatus.CRITICAL;
      case HEALTH_STATUS_DEAD -> HealthStatus.DEAD;
      default -> HealthStatus.UNKNOWN;
    };
  }

  private static com.google.protobuf.Timestamp timestamp(Instant t) {
    return com.google.protobuf.Timestamp.newBuilder()
        .setSeconds(t.getEpochSecond())
        .setNanos(t.getNano())
        .build();
  }
}
