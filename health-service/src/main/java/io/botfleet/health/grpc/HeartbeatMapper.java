package io.botfleet.health.grpc;

import com.google.protobuf.Timestamp;
import io.botfleet.health.domain.Alert;
import io.botfleet.health.domain.AlertSeverity;
import io.botfleet.health.domain.FieldError;
import io.botfleet.health.domain.HealthEvent;
import io.botfleet.health.domain.HealthIssue;
import io.botfleet.health.domain.HealthStatus;
import io.botfleet.health.service.HeartbeatAnswer;
import io.botfleet.health.v1.AlertState;
import io.botfleet.health.v1.HealthEventType;
import io.botfleet.health.v1.Heartbeat;
import io.botfleet.health.v1.HeartbeatFieldError;
import io.botfleet.health.v1.StreamHeartbeatsResponse;
import io.botfleet.health.v1.WatchHealthResponse;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Heartbeats, answers, alerts and events between health.v1 and the service's types. */
final class HeartbeatMapper {

  private HeartbeatMapper() {}

  static io.botfleet.health.domain.Heartbeat toDomain(Heartbeat p) {
    Instant time = null;
    if (p.hasHeartbeatTime()) {
      try {
        time = instant(p.getHeartbeatTime());
      } catch (DateTimeException | ArithmeticException e) {
        time = Instant.EPOCH; // refused as far too old, with the field named
      }
    }
    return new io.botfleet.health.domain.Heartbeat(
        p.getSequence() < 0 ? 0 : p.getSequence(),
        time,
        p.getVersion(),
        p.getUptimeSeconds(),
        p.getHeartbeatLatencyMs(),
        p.getPnlUsd(),
        p.getDrawdownPct(),
        p.getTradeCount(),
        p.getOpenPositions(),
        p.getOpenOrders(),
        p.getMemoryMb(),
        p.getCpuPct(),
        p.getErrorCount(),
        Map.copyOf(p.getCustomMetricsMap()));
  }

  static Heartbeat toProto(io.botfleet.health.domain.Heartbeat h) {
    Heartbeat.Builder b =
        Heartbeat.newBuilder()
            .setSequence(h.sequence())
            .setVersion(h.version() == null ? "" : h.version())
            .setUptimeSeconds(h.uptimeSeconds())
            .setHeartbeatLatencyMs(h.latencyMs())
            .setPnlUsd(h.pnlUsd())
            .setDrawdownPct(h.drawdownPct())
            .setTradeCount(h.tradeCount())
            .setOpenPositions(h.openPositions())
            .setOpenOrders(h.openOrders())
            .setMemoryMb(h.memoryMb())
            .setCpuPct(h.cpuPct())
            .setErrorCount(h.errorCount())
            .putAllCustomMetrics(h.customMetrics());
    if (h.heartbeatTime() != null) {
      b.setHeartbeatTime(timestamp(h.heartbeatTime()));
    }
    return b.build();
  }

  static StreamHeartbeatsResponse toProto(HeartbeatAnswer answer) {
    StreamHeartbeatsResponse.Builder b =
        StreamHeartbeatsResponse.newBuilder()
            .setSequence(answer.sequence())
            .setAccepted(answer.accepted())
            .setStatus(toProto(answer.status()))
            .setDeadlineTime(timestamp(answer.deadline()));
    answer.issues().forEach(i -> b.addIssues(toProto(i)));
    for (FieldError error : answer.errors()) {
      b.addErrors(
          HeartbeatFieldError.newBuilder()
              .setField(error.field())
              .setDescription(error.description()));
    }
    return b.build();
  }

  static io.botfleet.health.v1.HealthIssue toProto(HealthIssue issue) {
    return io.botfleet.health.v1.HealthIssue.newBuilder()
        .setCode(issue.code())
        .setCritical(issue.critical())
        .setValue(issue.value())
        .setThreshold(issue.threshold())
        .setText(issue.text())
        .build();
  }

  static io.botfleet.health.v1.HealthStatus toProto(HealthStatus status) {
    if (status == null) {
      return io.botfleet.health.v1.HealthStatus.HEALTH_STATUS_UNSPECIFIED;
    }
    return io.botfleet.health.v1.HealthStatus.valueOf("HEALTH_STATUS_" + status.name());
  }

  static io.botfleet.health.v1.AlertSeverity toProto(AlertSeverity severity) {
    return io.botfleet.health.v1.AlertSeverity.valueOf("ALERT_SEVERITY_" + severity.name());
  }

  static AlertSeverity toDomain(io.botfleet.health.v1.AlertSeverity severity) {
    return AlertSeverity.valueOf(severity.name().substring("ALERT_SEVERITY_".length()));
  }

  static io.botfleet.health.v1.Alert toProto(Alert a) {
    io.botfleet.health.v1.Alert.Builder b =
        io.botfleet.health.v1.Alert.newBuilder()
            .setId(a.id().toString())
            .setBotId(a.botId() == null ? "" : a.botId())
            .setBotName(a.botName() == null ? "" : a.botName())
            .setGroup(a.group() == null ? "" : a.group())
            .setKind(a.kind())
            .setSeverity(toProto(a.severity()))
            .addAllIssues(a.issues())
            .setMessage(a.message())
            .setState(a.open() ? AlertState.ALERT_STATE_OPEN : AlertState.ALERT_STATE_RESOLVED)
            .setRaiseTime(timestamp(a.raisedAt()));
    if (a.resolvedAt() != null) {
      b.setResolveTime(timestamp(a.resolvedAt()));
    }
    return b.build();
  }

  static io.botfleet.health.domain.HealthEventType toDomain(HealthEventType type) {
    return io.botfleet.health.domain.HealthEventType.valueOf(
        type.name().substring("HEALTH_EVENT_TYPE_".length()));
  }

  static WatchHealthResponse toProto(long sequence, HealthEvent e) {
    WatchHealthResponse.Builder b =
        WatchHealthResponse.newBuilder()
            .setSequence(sequence)
            .setType(HealthEventType.valueOf("HEALTH_EVENT_TYPE_" + e.type().name()))
            .setBotId(e.botId() == null ? "" : e.botId())
            .setBotName(e.botName() == null ? "" : e.botName())
            .setGroup(e.group() == null ? "" : e.group())
            .setPreviousStatus(toProto(e.previousStatus()))
            .setStatus(toProto(e.status()))
            .addAllIssues(e.issues())
            .setVersion(e.version() == null ? "" : e.version())
            .setMessage(e.message() == null ? "" : e.message())
            .setEventTime(timestamp(e.time()));
    if (e.alert() != null) {
      b.setAlert(toProto(e.alert()));
    }
    if (e.lastHeartbeatAt() != null) {
      b.setLastHeartbeatTime(timestamp(e.lastHeartbeatAt()));
    }
    return b.build();
  }

  static List<io.botfleet.health.v1.HealthIssue> issues(List<HealthIssue> issues) {
    return issues.stream().map(HeartbeatMapper::toProto).toList();
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  static Instant instant(Timestamp timestamp) {
    if (timestamp.getNanos() < 0 || timestamp.getNanos() > 999_999_999) {
      throw new DateTimeException("nanos out of range");
    }
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
