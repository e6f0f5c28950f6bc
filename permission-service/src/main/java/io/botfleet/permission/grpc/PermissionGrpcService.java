package io.botfleet.permission.grpc;

import io.botfleet.common.auth.Caller;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.common.grpc.RawRequests;
import io.botfleet.permission.domain.Assignment;
import io.botfleet.permission.domain.SuspensionMode;
import io.botfleet.permission.domain.TierCatalog;
import io.botfleet.permission.service.AssignmentService;
import io.botfleet.permission.service.CheckService;
import io.botfleet.permission.service.EscalationService;
import io.botfleet.permission.service.FleetSummaryService;
import io.botfleet.permission.service.SuspensionService;
import io.botfleet.permission.service.TierService;
import io.botfleet.permission.v1.ApproveEscalationRequest;
import io.botfleet.permission.v1.ApproveEscalationResponse;
import io.botfleet.permission.v1.AssignPermissionsRequest;
import io.botfleet.permission.v1.AssignPermissionsResponse;
import io.botfleet.permission.v1.CheckFieldError;
import io.botfleet.permission.v1.CheckPermissionRequest;
import io.botfleet.permission.v1.CheckPermissionResponse;
import io.botfleet.permission.v1.CheckPermissionsRequest;
import io.botfleet.permission.v1.CheckPermissionsResponse;
import io.botfleet.permission.v1.DenyEscalationRequest;
import io.botfleet.permission.v1.DenyEscalationResponse;
import io.botfleet.permission.v1.GetFleetPermissionSummaryRequest;
import io.botfleet.permission.v1.GetFleetPermissionSummaryResponse;
import io.botfleet.permission.v1.GetPermissionsRequest;
import io.botfleet.permission.v1.GetPermissionsResponse;
import io.botfleet.permission.v1.ListEscalationsRequest;
import io.botfleet.permission.v1.ListEscalationsResponse;
import io.botfleet.permission.v1.ListTiersRequest;
import io.botfleet.permission.v1.ListTiersResponse;
import io.botfleet.permission.v1.PermissionAssignment;
import io.botfleet.permission.v1.PermissionServiceGrpc;
import io.botfleet.permission.v1.RemovePermissionsRequest;
import io.botfleet.permission.v1.RemovePermissionsResponse;
import io.botfleet.permission.v1.RequestEscalationRequest;
import io.botfleet.permission.v1.RequestEscalationResponse;
import io.botfleet.permission.v1.StreamPermissionChecksRequest;
import io.botfleet.permission.v1.StreamPermissionChecksResponse;
import io.botfleet.permission.v1.SuspendBotRequest;
import io.botfleet.permission.v1.SuspendBotResponse;
import io.botfleet.permission.v1.UnsuspendBotRequest;
import io.botfleet.permission.v1.UnsuspendBotResponse;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * The permission.v1 adapter. Checks run on the gRPC event loop (an in-memory decision, no I/O);
 * everything that touches the database is {@code @Blocking}.
 */
@GrpcService
public class PermissionGrpcService extends PermissionServiceGrpc.PermissionServiceImplBase {

  private static final int MAX_CHECKS = 1000;

  @Inject TierService tiers;
  @Inject AssignmentService assignments;
  @Inject CheckService checks;
  @Inject EscalationService escalations;
  @Inject SuspensionService suspensions;
  @Inject FleetSummaryService summaries;

  @Override
  public ServerServiceDefinition bindService() {
    return RawRequests.bind(super.bindService());
  }

  @Override
  public void listTiers(ListTiersRequest request, StreamObserver<ListTiersResponse> response) {
    ListTiersResponse.Builder answer = ListTiersResponse.newBuilder();
    tiers.catalog().tiers().forEach(tier -> answer.addTiers(PermissionMapper.toProto(tier)));
    reply(response, answer.build());
  }

  @Override
  @Blocking
  public void assignPermissions(
      AssignPermissionsRequest request, StreamObserver<AssignPermissionsResponse> response) {
    Assignment assignment =
        assignments.assign(PermissionMapper.toInput(request), Caller.current().agentId());
    reply(
        response,
        AssignPermissionsResponse.newBuilder().setAssignment(toProto(assignment)).build());
  }

  @Override
  @Blocking
  public void getPermissions(
      GetPermissionsRequest request, StreamObserver<GetPermissionsResponse> response) {
    requireAgentId(request.getAgentId());
    Caller.requireSelfIfBot(request.getAgentId());
    Assignment assignment = assignments.get(request.getAgentId());
    reply(response, GetPermissionsResponse.newBuilder().setAssignment(toProto(assignment)).build());
  }

  @Override
  @Blocking
  public void removePermissions(
      RemovePermissionsRequest request, StreamObserver<RemovePermissionsResponse> response) {
    requireAgentId(request.getAgentId());
    boolean removed =
        assignments.remove(request.getAgentId(), request.getReason(), Caller.current().agentId());
    reply(response, RemovePermissionsResponse.newBuilder().setRemoved(removed).build());
  }

  @Override
  public void checkPermission(
      CheckPermissionRequest request, StreamObserver<CheckPermissionResponse> response) {
    reply(response, check(request, ""));
  }

  @Override
  public void checkPermissions(
      CheckPermissionsRequest request, StreamObserver<CheckPermissionsResponse> response) {
    int count = request.getChecksCount();
    if (count == 0 || count > MAX_CHECKS) {
      throw new InvalidArgumentException(
          "checks", "must hold 1 to " + MAX_CHECKS + " checks, got " + count);
    }
    CheckPermissionsResponse.Builder answer = CheckPermissionsResponse.newBuilder();
    for (int i = 0; i < count; i++) {
      answer.addResults(check(request.getChecks(i), "checks[" + i + "]."));
    }
    reply(response, answer.build());
  }

  @Override
  public StreamObserver<StreamPermissionChecksRequest> streamPermissionChecks(
      StreamObserver<StreamPermissionChecksResponse> response) {
    // Bound to the bot that opened the stream (its signature was verified once, at the open).
    String bot = Caller.current().agentId();
    return new StreamObserver<>() {
      @Override
      public void onNext(StreamPermissionChecksRequest check) {
        StreamPermissionChecksResponse.Builder answer =
            StreamPermissionChecksResponse.newBuilder().setCheckId(check.getCheckId());
        try {
          answer.setResult(
              check(
                  CheckPermissionRequest.newBuilder()
                      .setAgentId(bot)
                      .setAction(check.getAction())
                      .setContext(check.getContext())
                      .build(),
                  ""));
        } catch (InvalidArgumentException malformed) {
          malformed
              .violations()
              .forEach(
                  v ->
                      answer.addErrors(
                          CheckFieldError.newBuilder()
                              .setField(v.field())
                              .setDescription(v.description())));
        }
        response.onNext(answer.build());
      }

      @Override
      public void onError(Throwable t) {
        // The bot went away; nothing to clean up.
      }

      @Override
      public void onCompleted() {
        response.onCompleted();
      }
    };
  }

  @Override
  @Blocking
  public void requestEscalation(
      RequestEscalationRequest request, StreamObserver<RequestEscalationResponse> response) {
    var escalation =
        escalations.request(EscalationMapper.toRequest(request), Caller.current().agentId());
    reply(
        response,
        RequestEscalationResponse.newBuilder()
            .setEscalation(EscalationMapper.toProto(escalation))
            .build());
  }

  @Override
  @Blocking
  public void approveEscalation(
      ApproveEscalationRequest request, StreamObserver<ApproveEscalationResponse> response) {
    var approved =
        escalations.approve(
            EscalationMapper.escalationId(request.getEscalationId()),
            request.getNote(),
            Caller.current().agentId());
    reply(
        response,
        ApproveEscalationResponse.newBuilder()
            .setEscalation(EscalationMapper.toProto(approved.escalation()))
            .setAssignment(toProto(approved.assignment()))
            .build());
  }

  @Override
  @Blocking
  public void denyEscalation(
      DenyEscalationRequest request, StreamObserver<DenyEscalationResponse> response) {
    var denied =
        escalations.deny(
            EscalationMapper.escalationId(request.getEscalationId()),
            request.getReason(),
            Caller.current().agentId());
    reply(
        response,
        DenyEscalationResponse.newBuilder()
            .setEscalation(EscalationMapper.toProto(denied))
            .build());
  }

  @Override
  @Blocking
  public void listEscalations(
      ListEscalationsRequest request, StreamObserver<ListEscalationsResponse> response) {
    var page =
        escalations.list(
            EscalationMapper.toState(request.getState()),
            request.getAgentId(),
            request.getPageSize(),
            request.getPageToken());
    ListEscalationsResponse.Builder answer =
        ListEscalationsResponse.newBuilder().setNextPageToken(page.nextPageToken());
    page.escalations().forEach(e -> answer.addEscalations(EscalationMapper.toProto(e)));
    reply(response, answer.build());
  }

  @Override
  @Blocking
  public void suspendBot(SuspendBotRequest request, StreamObserver<SuspendBotResponse> response) {
    SuspensionMode mode = PermissionMapper.toMode(request.getMode(), "mode");
    if (mode == null) {
      throw new InvalidArgumentException("mode", "is required: PAUSED or STOPPED");
    }
    var outcome =
        suspensions.suspend(
            request.getAgentIdsList(),
            mode,
            request.getReason(),
            request.getCommandId(),
            Caller.current().agentId());
    reply(
        response,
        SuspendBotResponse.newBuilder()
            .setSuspendedCount(outcome.changed().size())
            .addAllUnknownAgentIds(outcome.unknown())
            .build());
  }

  @Override
  @Blocking
  public void unsuspendBot(
      UnsuspendBotRequest request, StreamObserver<UnsuspendBotResponse> response) {
    var outcome =
        suspensions.unsuspend(
            request.getAgentIdsList(),
            PermissionMapper.toMode(request.getMode(), "mode"),
            request.getReason(),
            request.getCommandId(),
            Caller.current().agentId());
    reply(
        response,
        UnsuspendBotResponse.newBuilder().setUnsuspendedCount(outcome.changed().size()).build());
  }

  @Override
  @Blocking
  public void getFleetPermissionSummary(
      GetFleetPermissionSummaryRequest request,
      StreamObserver<GetFleetPermissionSummaryResponse> response) {
    reply(response, EscalationMapper.toProto(summaries.summary()));
  }

  private CheckPermissionResponse check(CheckPermissionRequest request, String prefix) {
    PermissionMapper.requireCheck(request, prefix);
    Caller.requireSelfIfBot(request.getAgentId());
    return PermissionMapper.toProto(
        checks.check(
            request.getAgentId(),
            request.getAction(),
            PermissionMapper.toContext(request, prefix + "context")));
  }

  private PermissionAssignment toProto(Assignment assignment) {
    TierCatalog catalog = tiers.catalog();
    return PermissionMapper.toProto(assignment, catalog, Instant.now());
  }

  private static void requireAgentId(String agentId) {
    if (agentId.isEmpty()) {
      throw new InvalidArgumentException("agent_id", "is required");
    }
  }

  private static <T> void reply(StreamObserver<T> response, T answer) {
    response.onNext(answer);
    response.onCompleted();
  }
}
