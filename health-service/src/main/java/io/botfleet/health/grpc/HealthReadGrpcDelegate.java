package io.botfleet.health.grpc;

import com.google.protobuf.Duration;
import io.botfleet.common.auth.Caller;
import io.botfleet.common.error.Violations;
import io.botfleet.common.events.PageTokens;
import io.botfleet.health.domain.Alert;
import io.botfleet.health.domain.AlertFilter;
import io.botfleet.health.domain.DailyStat;
import io.botfleet.health.domain.HistoryPoint;
import io.botfleet.health.service.HealthQueryService;
import io.botfleet.health.v1.AlertSeverity;
import io.botfleet.health.v1.AlertState;
import io.botfleet.health.v1.GetDailyStatsRequest;
import io.botfleet.health.v1.GetDailyStatsResponse;
import io.botfleet.health.v1.GetHeartbeatHistoryRequest;
import io.botfleet.health.v1.GetHeartbeatHistoryResponse;
import io.botfleet.health.v1.HeartbeatPoint;
import io.botfleet.health.v1.ListAlertsRequest;
import io.botfleet.health.v1.ListAlertsResponse;
import io.grpc.stub.StreamObserver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;

/** The read RPCs of health.v1 over history, daily stats and alerts (part of the adapter). */
@ApplicationScoped
class HealthReadGrpcDelegate {

  @Inject HealthQueryService queries;

  void getHeartbeatHistory(
      GetHeartbeatHistoryRequest request, StreamObserver<GetHeartbeatHistoryResponse> response) {
    Caller.requireSelfIfBot(request.getBotId());
    Violations violations = new Violations();
    violations.require(!request.getBotId().isEmpty(), "bot_id", "is required");
    Instant from = time(request.hasStartTime(), request.getStartTime(), "start_time", violations);
    Instant to = time(request.hasEndTime(), request.getEndTime(), "end_time", violations);
    violations.throwIfAny();
    HealthQueryService.History history =
        queries.history(request.getBotId(), from, to, request.getMaxPoints());
    GetHeartbeatHistoryResponse.Builder answer =
        GetHeartbeatHistoryResponse.newBuilder()
            .setResolution(
                Duration.newBuilder().setSeconds(history.resolution().toSeconds()).build());
    for (HistoryPoint point : history.points()) {
      answer.addPoints(
          HeartbeatPoint.newBuilder()
              .setTime(HeartbeatMapper.timestamp(point.time()))
              .setSamples(point.samples())
              .setHeartbeat(HeartbeatMapper.toProto(point.heartbeat()))
              .setStatus(HeartbeatMapper.toProto(point.status())));
    }
    response.onNext(answer.build());
    response.onCompleted();
  }

  void getDailyStats(GetDailyStatsRequest request, StreamObserver<GetDailyStatsResponse> response) {
    List<DailyStat> stats =
        queries.dailyStats(request.getBotIdsList(), request.getStartDate(), request.getEndDate());
    GetDailyStatsResponse.Builder answer = GetDailyStatsResponse.newBuilder();
    for (DailyStat s : stats) {
      answer.addStats(
          io.botfleet.health.v1.DailyStat.newBuilder()
              .setBotId(s.botId())
              .setDate(s.date().toString())
              .setPnlUsd(s.pnlUsd().stripTrailingZeros().toPlainString())
              .setTradeCount(s.tradeCount())
              .setErrorCount(s.errorCount())
              .setUptimePct(s.uptimePct())
              .setMaxDrawdownPct(s.maxDrawdownPct()));
    }
    response.onNext(answer.build());
    response.onCompleted();
  }

  void listAlerts(ListAlertsRequest request, StreamObserver<ListAlertsResponse> response) {
    int size = PageTokens.pageSize(request.getPageSize(), 100, 1000, "page_size");
    Violations violations = new Violations();
    Instant from =
        request.hasStartTime()
            ? time(true, request.getStartTime(), "start_time", violations)
            : null;
    Instant to =
        request.hasEndTime() ? time(true, request.getEndTime(), "end_time", violations) : null;
    violations.require(
        request.getSeverity() != AlertSeverity.UNRECOGNIZED, "severity", "is not a severity");
    violations.require(request.getState() != AlertState.UNRECOGNIZED, "state", "is not a state");
    violations.throwIfAny();
    AlertFilter filter =
        new AlertFilter(
            request.getBotId().isEmpty() ? null : request.getBotId(),
            request.getGroup().isEmpty() ? null : request.getGroup(),
            request.getSeverity() == AlertSeverity.ALERT_SEVERITY_UNSPECIFIED
                ? null
                : HeartbeatMapper.toDomain(request.getSeverity()),
            switch (request.getState()) {
              case ALERT_STATE_OPEN -> Boolean.TRUE;
              case ALERT_STATE_RESOLVED -> Boolean.FALSE;
              default -> null;
            },
            from,
            to);
    List<Alert> page =
        queries.alerts(filter, PageToken.parse(request.getPageToken()).orElse(null), size + 1);
    ListAlertsResponse.Builder answer = ListAlertsResponse.newBuilder();
    page.stream().limit(size).forEach(a -> answer.addAlerts(HeartbeatMapper.toProto(a)));
    if (page.size() > size) {
      Alert last = page.get(size - 1);
      answer.setNextPageToken(PageToken.of(last.raisedAt(), last.id()));
    }
    response.onNext(answer.build());
    response.onCompleted();
  }

  private static Instant time(
      boolean present, com.google.protobuf.Timestamp value, String field, Violations violations) {
    if (!present) {
      violations.add(field, "is required");
      return null;
    }
    try {
      return HeartbeatMapper.instant(value);
    } catch (RuntimeException e) {
      violations.add(field, "is not a valid timestamp");
      return null;
    }
  }
}
