package io.botfleet.deploy.sim;

import io.botfleet.health.v1.BotHealth;
import io.botfleet.health.v1.DailyStat;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.health.v1.GetBotHealthRequest;
import io.botfleet.health.v1.GetBotHealthResponse;
import io.botfleet.health.v1.GetDailyStatsRequest;
import io.botfleet.health.v1.GetDailyStatsResponse;
import io.botfleet.health.v1.GetHeartbeatHistoryRequest;
import io.botfleet.health.v1.GetHeartbeatHistoryResponse;
import io.botfleet.health.v1.HeartbeatPoint;
import io.botfleet.health.v1.HeartbeatRecord;
import io.botfleet.health.v1.WatchHealthRequest;
import io.botfleet.health.v1.WatchHealthResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** health.v1 as the simulated fleet answers it (the RPCs deploy-service calls). */
final class FakeHealthService extends FleetHealthServiceGrpc.FleetHealthServiceImplBase {

  private final SimulatedFleet fleet;

  FakeHealthService(SimulatedFleet fleet) {
    this.fleet = fleet;
  }

  @Override
  public void getBotHealth(
      GetBotHealthRequest request, StreamObserver<GetBotHealthResponse> response) {
    SimBot bot = fleet.bots.get(request.getBotId());
    if (bot == null) {
      response.onError(Status.NOT_FOUND.withDescription("bot not tracked").asRuntimeException());
      return;
    }
    BotHealth.Builder health =
        BotHealth.newBuilder()
            .setBotId(bot.id)
            .setBotName(bot.name)
            .setGroup(bot.group)
            .setStatus(bot.health);
    List<HeartbeatRecord> heartbeats = bot.heartbeats;
    if (!heartbeats.isEmpty()) {
      HeartbeatRecord latest = heartbeats.get(heartbeats.size() - 1);
      health
          .setLatest(latest)
          .addAllIssues(latest.getIssuesList())
          .setLastHeartbeatTime(latest.getReceiveTime());
    }
    response.onNext(GetBotHealthResponse.newBuilder().setHealth(health).build());
    response.onCompleted();
  }

  @Override
  public void getDailyStats(
      GetDailyStatsRequest request, StreamObserver<GetDailyStatsResponse> response) {
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    GetDailyStatsResponse.Builder answer = GetDailyStatsResponse.newBuilder();
    for (String id : request.getBotIdsList()) {
      SimBot bot = fleet.bots.get(id);
      if (bot != null
          && bot.pnlToday != null
          && request.getStartDate().compareTo(today) <= 0
          && request.getEndDate().compareTo(today) >= 0) {
        answer.addStats(
            DailyStat.newBuilder()
                .setBotId(id)
                .setDate(today)
                .setPnlUsd(bot.pnlToday.toPlainString())
                .setTradeCount(bot.sequence));
      }
    }
    response.onNext(answer.build());
    response.onCompleted();
  }

  @Override
  public void getHeartbeatHistory(
      GetHeartbeatHistoryRequest request, StreamObserver<GetHeartbeatHistoryResponse> response) {
    SimBot bot = fleet.bots.get(request.getBotId());
    GetHeartbeatHistoryResponse.Builder answer = GetHeartbeatHistoryResponse.newBuilder();
    if (bot != null) {
      for (HeartbeatRecord r : bot.heartbeats) {
        if (compare(r.getReceiveTime(), request.getStartTime()) >= 0
            && compare(r.getReceiveTime(), request.getEndTime()) < 0) {
          answer.addPoints(
              HeartbeatPoint.newBuilder()
                  .setTime(r.getReceiveTime())
                  .setSamples(1)
                  .setHeartbeat(r.getHeartbeat())
                  .setStatus(r.getStatus()));
        }
      }
    }
    response.onNext(answer.build());
    response.onCompleted();
  }

  @Override
  public void watchHealth(
      WatchHealthRequest request, StreamObserver<WatchHealthResponse> response) {
    ServerCallStreamObserver<WatchHealthResponse> stream =
        (ServerCallStreamObserver<WatchHealthResponse>) response;
    Object lock = new Object();
    Runnable[] cancel = new Runnable[1];
    cancel[0] =
        fleet.watch(
            request.getAfterSequence(),
            event -> {
              if (!request.getTypesList().isEmpty()
                  && !request.getTypesList().contains(event.getType())) {
                return;
              }
              synchronized (lock) {
                if (!stream.isCancelled()) {
                  stream.onNext(event);
                }
              }
            });
    stream.setOnCancelHandler(() -> cancel[0].run());
  }

  private static int compare(com.google.protobuf.Timestamp a, com.google.protobuf.Timestamp b) {
    int c = Long.compare(a.getSeconds(), b.getSeconds());
    return c != 0 ? c : Integer.compare(a.getNanos(), b.getNanos());
  }
}
