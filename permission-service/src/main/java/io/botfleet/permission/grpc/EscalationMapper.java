package io.botfleet.permission.grpc;

import static io.botfleet.permission.grpc.PermissionMapper.timestamp;
import static io.botfleet.permission.grpc.PermissionMapper.toTier;

import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.permission.domain.Escalation;
import io.botfleet.permission.domain.EscalationRequest;
import io.botfleet.permission.domain.FleetPermissionSummary;
import io.botfleet.permission.v1.EscalationState;
import io.botfleet.permission.v1.GetFleetPermissionSummaryResponse;
import io.botfleet.permission.v1.RequestEscalationRequest;
import io.botfleet.permission.v1.SuspendedBot;
import java.time.Duration;
import java.util.UUID;

/** Translates escalations and the fleet summary between permission.v1 and the service's types. */
final class EscalationMapper {

  private EscalationMapper() {}

  static EscalationRequest toRequest(RequestEscalationRequest request) {
    return new EscalationRequest(
        request.getAgentId(),
        PermissionMapper.tierName(request.getNewTier(), request.getNewTierValue()),
        request.getReason(),
        request.hasDuration() ? duration(request.getDuration(), "duration") : null,
        request.hasApprovalTimeout()
            ? duration(request.getApprovalTimeout(), "approval_timeout")
            : null);
  }

  static io.botfleet.permission.v1.Escalation toProto(Escalation e) {
    var proto =
        io.botfleet.permission.v1.Escalation.newBuilder()
            .setId(e.id().toString())
            .setAgentId(e.agentId())
            .setBotName(e.botName())
            .setOldTier(toTier(e.oldTier()))
            .setNewTier(toTier(e.newTier()))
            .setReason(e.reason())
            .setRequestedBy(e.requestedBy())
            .setState(EscalationState.valueOf("ESCALATION_STATE_" + e.state().name()))
            .setRequestTime(timestamp(e.requestedAt()))
            .setApprovalDeadlineTime(timestamp(e.approvalDeadline()));
    if (e.decidedBy() != null) {
      proto.setDecidedBy(e.decidedBy());
    }
    if (e.decidedAt() != null) {
      proto.setDecideTime(timestamp(e.decidedAt()));
    }
    if (e.expiresAt() != null) {
      proto.setExpireTime(timestamp(e.expiresAt()));
    }
    if (e.decisionNote() != null) {
      proto.setDecisionNote(e.decisionNote());
    }
    return proto.build();
  }

  /** The state filter, or null for all. */
  static io.botfleet.permission.domain.EscalationState toState(EscalationState state) {
    return switch (state) {
      case ESCALATION_STATE_UNSPECIFIED -> null;
      case ESCALATION_STATE_PENDING -> io.botfleet.permission.domain.EscalationState.PENDING;
      case ESCALATION_STATE_ACTIVE -> io.botfleet.permission.domain.EscalationState.ACTIVE;
      case ESCALATION_STATE_DENIED -> io.botfleet.permission.domain.EscalationState.DENIED;
      case ESCALATION_STATE_EXPIRED -> io.botfleet.permission.domain.EscalationState.EXPIRED;
      default -> throw new InvalidArgumentException("state", "unknown escalation state");
    };
  }

  static UUID escalationId(String text) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException(
          "escalation_id", "must be an escalation id (a UUID), got \"" + text + "\"");
    }
  }

  static GetFleetPermissionSummaryResponse toProto(FleetPermissionSummary summary) {
    var proto =
        GetFleetPermissionSummaryResponse.newBuilder()
            .setTotalBots(summary.totalBots())
            .putAllTierCounts(summary.tierCounts())
            .addAllWithdrawEnabled(summary.withdrawEnabled())
            .addAllAdminEnabled(summary.adminEnabled())
            .setCreateTime(timestamp(summary.createdAt()));
    for (FleetPermissionSummary.SuspendedBot bot : summary.suspended()) {
      proto.addSuspended(
          SuspendedBot.newBuilder()
              .setAgentId(bot.agentId())
              .setBotName(bot.botName())
              .setMode(PermissionMapper.toProto(bot.mode()))
              .setSuspendTime(timestamp(bot.suspendedAt())));
    }
    return proto.build();
  }

  private static Duration duration(com.google.protobuf.Duration proto, String field) {
    if (proto.getSeconds() < 0 || proto.getNanos() < 0 || proto.getNanos() > 999_999_999) {
      throw new InvalidArgumentException(field, "must be a positive duration");
    }
    return Duration.ofSeconds(proto.getSeconds(), proto.getNanos());
  }
}
