package io.botfleet.health.grpc;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.botfleet.common.error.Violations;
import io.botfleet.health.domain.BotSnapshot;
import io.botfleet.health.domain.Dashboard;
import io.botfleet.health.domain.HealthPolicy;
import io.botfleet.health.domain.HealthStatus;
import io.botfleet.health.domain.StoredPolicy;
import io.botfleet.health.service.HealthQueryService;
import io.botfleet.health.v1.GetFleetHealthDashboardResponse;
import io.botfleet.health.v1.GroupHealth;
import io.botfleet.health.v1.StatusSummary;
import java.util.Map;
import java.util.Optional;

/** Translates between health.v1 messages and the service's own types. */
final class HealthMapper {

  private HealthMapper() {}

  static HealthPolicy toDomain(io.botfleet.health.v1.HealthPolicy proto) {
    Violations violations = new Violations();
    Optional<java.time.Duration> interval =
        duration(
            proto.hasHeartbeatInterval(),
            proto.getHeartbeatInterval(),
            "policy.heartbeat_interval",
            violations);
    Optional<java.time.Duration> deadAfter =
        duration(proto.hasDeadAfter(), proto.getDeadAfter(), "policy.dead_after", violations);
    violations.throwIfAny();
    return new HealthPolicy(
        proto.getGroup(),
        interval,
        deadAfter,
        proto.hasDrawdownWarningPct()
            ? Optional.of(proto.getDrawdownWarningPct())
            : Optional.empty(),
        proto.hasDrawdownCriticalPct()
            ? Optional.of(proto.getDrawdownCriticalPct())
            : Optional.empty(),
        proto.hasLatencyWarningMs() ? Optional.of(proto.getLatencyWarningMs()) : Optional.empty(),
        proto.hasLatencyCriticalMs() ? Optional.of(proto.getLatencyCriticalMs()) : Optional.empty(),
        proto.hasErrorsWarning() ? Optional.of(proto.getErrorsWarning()) : Optional.empty(),
        proto.hasErrorsCritical() ? Optional.of(proto.getErrorsCritical()) : Optional.empty(),
        proto.hasMemoryCriticalMb() ? Optional.of(proto.getMemoryCriticalMb()) : Optional.empty());
  }

  static io.botfleet.health.v1.HealthPolicy toProto(StoredPolicy stored) {
    return toProto(stored.policy()).toBuilder()
        .setUpdateTime(
            Timestamp.newBuilder()
                .setSeconds(stored.updatedAt().getEpochSecond())
                .setNanos(stored.updatedAt().getNano()))
        .setUpdatedBy(stored.updatedBy())
        .build();
  }

  static io.botfleet.health.v1.HealthPolicy toProto(HealthPolicy policy) {
    io.botfleet.health.v1.HealthPolicy.Builder proto =
        io.botfleet.health.v1.HealthPolicy.newBuilder().setGroup(policy.group());
    policy.heartbeatInterval().ifPresent(d -> proto.setHeartbeatInterval(toProto(d)));
    policy.deadAfter().ifPresent(d -> proto.setDeadAfter(toProto(d)));
    policy.drawdownWarningPct().ifPresent(proto::setDrawdownWarningPct);
    policy.drawdownCriticalPct().ifPresent(proto::setDrawdownCriticalPct);
    policy.latencyWarningMs().ifPresent(proto::setLatencyWarningMs);
    policy.latencyCriticalMs().ifPresent(proto::setLatencyCriticalMs);
    policy.errorsWarning().ifPresent(proto::setErrorsWarning);
    policy.errorsCritical().ifPresent(proto::setErrorsCritical);
    policy.memoryCriticalMb().ifPresent(proto::setMemoryCriticalMb);
    return proto.build();
  }

  static io.botfleet.health.v1.BotHealth toProto(HealthQueryService.BotHealth health) {
    BotSnapshot state = health.state();
    io.botfleet.health.v1.BotHealth.Builder b =
        io.botfleet.health.v1.BotHealth.newBuilder()
            .setBotId(health.bot().botId())
            .setBotName(health.bot().name())
            .setGroup(health.bot().group())
            .setStatus(HeartbeatMapper.toProto(state.status()))
            .addAllIssues(HeartbeatMapper.issues(state.issues()))
            .setTrackTime(HeartbeatMapper.timestamp(health.bot().trackedAt()));
    if (state.latest() != null && state.lastHeartbeatAt() != null) {
      b.setLatest(
          io.botfleet.health.v1.HeartbeatRecord.newBuilder()
              .setBotId(health.bot().botId())
              .setHeartbeat(HeartbeatMapper.toProto(state.latest()))
              .setReceiveTime(HeartbeatMapper.timestamp(state.lastHeartbeatAt()))
              .setStatus(HeartbeatMapper.toProto(state.status()))
              .addAllIssues(HeartbeatMapper.issues(state.issues())));
    }
    if (state.lastHeartbeatAt() != null) {
      b.setLastHeartbeatTime(HeartbeatMapper.timestamp(state.lastHeartbeatAt()));
    }
    if (health.deadline() != null) {
      b.setDeadlineTime(HeartbeatMapper.timestamp(health.deadline()));
    }
    if (state.deadSince() != null) {
      b.setDeadSinceTime(HeartbeatMapper.timestamp(state.deadSince()));
    }
    return b.build();
  }

  static GetFleetHealthDashboardResponse toProto(Dashboard dashboard) {
    GetFleetHealthDashboardResponse.Builder b =
        GetFleetHealthDashboardResponse.newBuilder()
            .setTimestamp(HeartbeatMapper.timestamp(dashboard.timestamp()))
            .setTotalBots(dashboard.totalBots())
            .setStatusSummary(summary(dashboard.statusSummary()))
            .setFleetPnlUsd(dashboard.fleetPnlUsd().toPlainString())
            .setFleetTradeCount(dashboard.fleetTradeCount())
            .setMassSilence(dashboard.massSilence());
    dashboard
        .groups()
        .forEach(
            (name, group) ->
                b.putGroups(
                    name,
                    GroupHealth.newBuilder()
                        .setTotalBots(group.totalBots())
                        .setStatusSummary(summary(group.statusSummary()))
                        .setPnlUsd(group.pnlUsd().toPlainString())
                        .setTradeCount(group.tradeCount())
                        .build()));
    return b.build();
  }

  private static StatusSummary summary(Map<HealthStatus, Integer> counts) {
    return StatusSummary.newBuilder()
        .setHealthy(counts.getOrDefault(HealthStatus.HEALTHY, 0))
        .setWarning(counts.getOrDefault(HealthStatus.WARNING, 0))
        .setCritical(counts.getOrDefault(HealthStatus.CRITICAL, 0))
        .setDead(counts.getOrDefault(HealthStatus.DEAD, 0))
        .setUnknown(counts.getOrDefault(HealthStatus.UNKNOWN, 0))
        .build();
  }

  private static Optional<java.time.Duration> duration(
      boolean present, Duration proto, String field, Violations violations) {
    if (!present) {
      return Optional.empty();
    }
    if (proto.getSeconds() < 0 || proto.getNanos() < 0 || proto.getNanos() > 999_999_999) {
      violations.add(field, "must be a positive duration");
      return Optional.empty();
    }
    return Optional.of(java.time.Duration.ofSeconds(proto.getSeconds(), proto.getNanos()));
  }

  private static Duration toProto(java.time.Duration duration) {
    return Duration.newBuilder()
        .setSeconds(duration.getSeconds())
        .setNanos(duration.getNano())
        .build();
  }
}
