package io.botfleet.fleet.client;

import io.botfleet.common.grpc.RemoteErrors;
import io.botfleet.fleet.config.FleetConfig;
import io.botfleet.fleet.domain.Control;
import io.botfleet.fleet.domain.Restrictions;
import io.botfleet.fleet.domain.Tier;
import io.botfleet.permission.v1.AssignPermissionsRequest;
import io.botfleet.permission.v1.PermissionServiceGrpc;
import io.botfleet.permission.v1.RemovePermissionsRequest;
import io.botfleet.permission.v1.SuspendBotRequest;
import io.botfleet.permission.v1.SuspensionMode;
import io.botfleet.permission.v1.UnsuspendBotRequest;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** fleet-service's calls to permission-service, each with a deadline, signed as svc-fleet. */
@ApplicationScoped
public class PermissionClient {

  private static final String SERVICE = "permission-service";
  private static final RemoteErrors ERRORS = new RemoteErrors("fleet-service");

  @GrpcClient("permission")
  Channel channel;

  @Inject FleetConfig config;

  /**
   * A bot's permissions to assign.
   *
   * @param agentId the bot
   * @param botName its name
   * @param group its group
   * @param role trading_bot or withdrawal_agent
   * @param exchange its exchange
   * @param tier its tier
   * @param restrictions its restrictions
   * @param requestId idempotency key for permission-service
   */
  public record Assignment(
      String agentId,
      String botName,
      String group,
      String role,
      String exchange,
      Tier tier,
      Restrictions restrictions,
      String requestId) {}

  /** Assigns (or replaces) a bot's permissions. */
  public void assign(Assignment a) {
    Restrictions r = a.restrictions();
    AssignPermissionsRequest request =
        AssignPermissionsRequest.newBuilder()
            .setAgentId(a.agentId())
            .setBotName(a.botName())
            .setGroup(a.group())
            .setRole(a.role())
            .setExchange(a.exchange())
            .setTier(io.botfleet.permission.v1.Tier.valueOf("TIER_" + a.tier().name()))
            .setRestrictions(
                io.botfleet.permission.v1.Restrictions.newBuilder()
                    .setMaxOrderSizeUsd(r.maxOrderSizeUsd())
                    .setMaxPositionUsd(r.maxPositionUsd())
                    .addAllAllowedPairs(r.allowedPairs())
                    .addAllAllowedInstruments(r.allowedInstruments())
                    .setMaxDeltaExposure(r.maxDeltaExposure())
                    .addAllDeniedActions(r.deniedActions()))
            .setRequestId(a.requestId())
            .build();
    ERRORS.call(SERVICE, "AssignPermissions", () -> stub().assignPermissions(request));
  }

  /** Removes a bot's permissions (nothing to remove is not an error). */
  public void remove(String agentId, String reason) {
    ERRORS.call(
        SERVICE,
        "RemovePermissions",
        () ->
            stub()
                .removePermissions(
                    RemovePermissionsRequest.newBuilder()
                        .setAgentId(agentId)
                        .setReason(reason)
                        .build()));
  }

  /**
   * Suspends bots, in one call however many (a paused or stopped bot that ignores its command can
   * then place no order that opens a position). Returns how many are now suspended.
   */
  public int suspend(List<String> agentIds, Control mode, String reason, String commandId) {
    SuspendBotRequest request =
        SuspendBotRequest.newBuilder()
            .addAllAgentIds(agentIds)
            .setMode(toMode(mode))
            .setReason(reason)
            .setCommandId(commandId)
            .build();
    return ERRORS.call(SERVICE, "SuspendBot", () -> stub().suspendBot(request).getSuspendedCount());
  }

  /** Lifts pauses only: an emergency stop stays in force whatever resumes. */
  public int unsuspendPaused(List<String> agentIds, String reason, String commandId) {
    UnsuspendBotRequest request =
        UnsuspendBotRequest.newBuilder()
            .addAllAgentIds(agentIds)
            .setMode(SuspensionMode.SUSPENSION_MODE_PAUSED)
            .setReason(reason)
            .setCommandId(commandId)
            .build();
    return ERRORS.call(
        SERVICE, "UnsuspendBot", () -> stub().unsuspendBot(request).getUnsuspendedCount());
  }

  /** Opens the connection at start. */
  public void warmUp() {
    Channels.ping(channel, config.callDeadline());
  }

  private static SuspensionMode toMode(Control mode) {
    return switch (mode) {
      case PAUSED -> SuspensionMode.SUSPENSION_MODE_PAUSED;
      case STOPPED -> SuspensionMode.SUSPENSION_MODE_STOPPED;
      case ACTIVE -> throw new IllegalArgumentException("ACTIVE is not a suspension");
    };
  }

  private PermissionServiceGrpc.PermissionServiceBlockingStub stub() {
    return PermissionServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(config.callDeadline().toMillis(), TimeUnit.MILLISECONDS);
  }
}
