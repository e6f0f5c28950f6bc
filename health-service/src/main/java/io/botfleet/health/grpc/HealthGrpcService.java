package io.botfleet.health.grpc;

import io.botfleet.common.auth.Caller;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.common.grpc.GrpcErrors;
import io.botfleet.common.grpc.RawRequests;
import io.botfleet.health.config.HealthConfig;
import io.botfleet.health.domain.FieldError;
import io.botfleet.health.service.HealthEventFeed;
import io.botfleet.health.service.HealthPolicyService;
import io.botfleet.health.service.HealthQueryService;
import io.botfleet.health.service.HeartbeatService;
import io.botfleet.health.service.PolicyCache;
import io.botfleet.health.service.TrackingService;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.health.v1.GetBotHealthRequest;
import io.botfleet.health.v1.GetBotHealthResponse;
import io.botfleet.health.v1.GetFleetHealthDashboardRequest;
import io.botfleet.health.v1.GetFleetHealthDashboardResponse;
import io.botfleet.health.v1.GetHealthPolicyRequest;
import io.botfleet.health.v1.GetHealthPolicyResponse;
import io.botfleet.health.v1.RecordHeartbeatRequest;
import io.botfleet.health.v1.RecordHeartbeatResponse;
import io.botfleet.health.v1.SetHealthPolicyRequest;
import io.botfleet.health.v1.SetHealthPolicyResponse;
import io.botfleet.health.v1.StreamHeartbeatsRequest;
import io.botfleet.health.v1.StreamHeartbeatsResponse;
import io.botfleet.health.v1.TrackBotRequest;
import io.botfleet.health.v1.TrackBotResponse;
import io.botfleet.health.v1.UntrackBotRequest;
import io.botfleet.health.v1.UntrackBotResponse;
import io.botfleet.health.v1.WatchHealthRequest;
import io.botfleet.health.v1.WatchHealthResponse;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The health.v1 adapter: heartbeats, tracking, current health, the event stream and policies.
 * History, alerts and webhooks are in {@link HealthReadGrpcDelegate} and {@link
 * WebhookGrpcDelegate}, SLA in {@link SlaGrpcDelegate}.
 */
@GrpcService
public class HealthGrpcService extends FleetHealthServiceGrpc.FleetHealthServiceImplBase {

  @Inject HealthPolicyService policies;
  @Inject PolicyCache policyCache;
  @Inject HeartbeatService heartbeats;
  @Inject TrackingService tracking;
  @Inject HealthQueryService queries;
  @Inject HealthEventFeed feed;
  @Inject HealthConfig config;
  @Inject HealthReadGrpcDelegate reads;
  @Inject WebhookGrpcDelegate webhooks;
  @Inject SlaGrpcDelegate sla;
  @Inject io.botfleet.health.service.SlaService slaService;

  @Override
  public ServerServiceDefinition bindService() {
    return RawRequests.bind(super.bindService());
  }

  @Override
  public StreamObserver<StreamHeartbeatsRequest> streamHeartbeats(
      StreamObserver<StreamHeartbeatsResponse> response) {
    return new HeartbeatStream(
        Caller.current().agentId(),
        heartbeats,
        (ServerCallStreamObserver<StreamHeartbeatsResponse>) response,
        config.streamWindow());
  }

  @Override
  public void recordHeartbeat(
      RecordHeartbeatRequest request, StreamObserver<RecordHeartbeatResponse> response) {
    String botId = request.getBotId().isEmpty() ? Caller.current().agentId() : request.getBotId();
    Caller.requireSelfIfBot(botId);
    if (!request.hasHeartbeat()) {
      throw new InvalidArgumentException("heartbeat", "is required");
    }
    Context context = Vertx.currentContext();
    Executor onCall =
        context == null ? Runnable::run : task -> context.runOnContext(v -> task.run());
    heartbeats
        .accept(botId, HeartbeatMapper.toDomain(request.getHeartbeat()))
        .whenComplete(
            (answer, failure) ->
                onCall.execute(
                    () -> {
                      if (failure != null) {
                        response.onError(
                            GrpcErrors.toStatusException(
                                failure.getCause() != null ? failure.getCause() : failure));
                        return;
                      }
                      if (!answer.accepted()) {
                        List<InvalidArgumentException.FieldViolation> violations =
                            answer.errors().stream()
                                .map(
                                    (FieldError e) ->
                                        new InvalidArgumentException.FieldViolation(
                                            "heartbeat." + e.field(), e.description()))
                                .toList();
                        response.onError(
                            GrpcErrors.toStatusException(new InvalidArgumentException(violations)));
                        return;
                      }
                      response.onNext(
                          RecordHeartbeatResponse.newBuilder()
                              .setStatus(HeartbeatMapper.toProto(answer.status()))
                              .addAllIssues(HeartbeatMapper.issues(answer.issues()))
                              .setDeadlineTime(HeartbeatMapper.timestamp(answer.deadline()))
                              .build());
                      response.onCompleted();
                    }));
  }

  @Override
  @Blocking
  public void trackBot(TrackBotRequest request, StreamObserver<TrackBotResponse> response) {
    tracking.track(
        request.getBotId(),
        request.getBotName(),
        request.getGroup(),
        request.getExchange(),
        request.getStrategy(),
        request.getStandby());
    response.onNext(
        TrackBotResponse.newBuilder()
            .setHealth(HealthMapper.toProto(queries.botHealth(request.getBotId())))
            .build());
    response.onCompleted();
  }

  @Override
  @Blocking
  public void untrackBot(UntrackBotRequest request, StreamObserver<UntrackBotResponse> response) {
    response.onNext(
        UntrackBotResponse.newBuilder().setUntracked(tracking.untrack(request.getBotId())).build());
    response.onCompleted();
  }

  @Override
  @Blocking
  public void getBotHealth(
      GetBotHealthRequest request, StreamObserver<GetBotHealthResponse> response) {
    Caller.requireSelfIfBot(request.getBotId());
    var health = HealthMapper.toProto(queries.botHealth(request.getBotId()));
    response.onNext(
        GetBotHealthResponse.newBuilder()
            .setHealth(
                health.toBuilder().setReliabilityScore(slaService.reliability(request.getBotId())))
            .build());
    response.onCompleted();
  }

  @Override
  @Blocking
  public void getFleetHealthDashboard(
      GetFleetHealthDashboardRequest request,
      StreamObserver<GetFleetHealthDashboardResponse> response) {
    response.onNext(HealthMapper.toProto(queries.dashboard()));
    response.onCompleted();
  }

  @Override
  public void watchHealth(
      WatchHealthRequest request, StreamObserver<WatchHealthResponse> response) {
    if (request.getAfterSequence() < 0) {
      throw new InvalidArgumentException("after_sequence", "must be 0 or a sequence seen before");
    }
    Set<io.botfleet.health.domain.HealthEventType> types =
        EnumSet.noneOf(io.botfleet.health.domain.HealthEventType.class);
    for (int i = 0; i < request.getTypesCount(); i++) {
      if (request.getTypes(i) == io.botfleet.health.v1.HealthEventType.HEALTH_EVENT_TYPE_UNSPECIFIED
          || request.getTypes(i) == io.botfleet.health.v1.HealthEventType.UNRECOGNIZED) {
        throw new InvalidArgumentException("types[" + i + "]", "is not an event type");
      }
      types.add(HeartbeatMapper.toDomain(request.getTypes(i)));
    }
    var stream = (ServerCallStreamObserver<WatchHealthResponse>) response;
    feed.subscribe(
        request.getAfterSequence(), types, request.getGroup(), new WatchStream(stream, feed));
  }

  @Override
  @Blocking
  public void setHealthPolicy(
      SetHealthPolicyRequest request, StreamObserver<SetHealthPolicyResponse> response) {
    if (!request.hasPolicy()) {
      throw new InvalidArgumentException("policy", "is required");
    }
    var stored = policies.set(HealthMapper.toDomain(request.getPolicy()));
    // This replica at once; the others when the NOTIFY of the commit reaches them.
    policyCache.reload();
    response.onNext(
        SetHealthPolicyResponse.newBuilder().setPolicy(HealthMapper.toProto(stored)).build());
    response.onCompleted();
  }

  @Override
  @Blocking
  public void getHealthPolicy(
      GetHealthPolicyRequest request, StreamObserver<GetHealthPolicyResponse> response) {
    response.onNext(
        GetHealthPolicyResponse.newBuilder()
            .setPolicy(HealthMapper.toProto(policies.effective(request.getGroup())))
            .build());
    response.onCompleted();
  }

  @Override
  @Blocking
  public void getHeartbeatHistory(
      io.botfleet.health.v1.GetHeartbeatHistoryRequest request,
      StreamObserver<io.botfleet.health.v1.GetHeartbeatHistoryResponse> response) {
    reads.getHeartbeatHistory(request, response);
  }

  @Override
  @Blocking
  public void getDailyStats(
      io.botfleet.health.v1.GetDailyStatsRequest request,
      StreamObserver<io.botfleet.health.v1.GetDailyStatsResponse> response) {
    reads.getDailyStats(request, response);
  }

  @Override
  @Blocking
  public void listAlerts(
      io.botfleet.health.v1.ListAlertsRequest request,
      StreamObserver<io.botfleet.health.v1.ListAlertsResponse> response) {
    reads.listAlerts(request, response);
  }

  @Override
  @Blocking
  public void registerWebhook(
      io.botfleet.health.v1.RegisterWebhookRequest request,
      StreamObserver<io.botfleet.health.v1.RegisterWebhookResponse> response) {
    webhooks.registerWebhook(request, response);
  }

  @Override
  @Blocking
  public void listWebhooks(
      io.botfleet.health.v1.ListWebhooksRequest request,
      StreamObserver<io.botfleet.health.v1.ListWebhooksResponse> response) {
    webhooks.listWebhooks(request, response);
  }

  @Override
  @Blocking
  public void deleteWebhook(
      io.botfleet.health.v1.DeleteWebhookRequest request,
      StreamObserver<io.botfleet.health.v1.DeleteWebhookResponse> response) {
    webhooks.deleteWebhook(request, response);
  }

  @Override
  @Blocking
  public void listWebhookDeliveries(
      io.botfleet.health.v1.ListWebhookDeliveriesRequest request,
      StreamObserver<io.botfleet.health.v1.ListWebhookDeliveriesResponse> response) {
    webhooks.listWebhookDeliveries(request, response);
  }

  @Override
  @Blocking
  public void setSlaTargets(
      io.botfleet.health.v1.SetSlaTargetsRequest request,
      StreamObserver<io.botfleet.health.v1.SetSlaTargetsResponse> response) {
    sla.setSlaTargets(request, response);
  }

  @Override
  @Blocking
  public void getSlaCompliance(
      io.botfleet.health.v1.GetSlaComplianceRequest request,
      StreamObserver<io.botfleet.health.v1.GetSlaComplianceResponse> response) {
    sla.getSlaCompliance(request, response);
  }

  @Override
  @Blocking
  public void getSlaReport(
      io.botfleet.health.v1.GetSlaReportRequest request,
      StreamObserver<io.botfleet.health.v1.GetSlaReportResponse> response) {
    sla.getSlaReport(request, response);
  }
}
