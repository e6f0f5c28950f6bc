package io.botfleet.fleet.grpc;

import com.google.protobuf.Timestamp;
import io.botfleet.common.auth.Caller;
import io.botfleet.common.config.ServiceConfig;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.common.events.AuditGrpcService;
import io.botfleet.common.events.AuditLog;
import io.botfleet.common.events.PageTokens;
import io.botfleet.common.grpc.RawRequests;
import io.botfleet.fleet.domain.Bot;
import io.botfleet.fleet.domain.BotFilter;
import io.botfleet.fleet.domain.BotStatus;
import io.botfleet.fleet.domain.DeliveryState;
import io.botfleet.fleet.service.BotLifecycleService;
import io.botfleet.fleet.service.BotQueryService;
import io.botfleet.fleet.service.BotRegistrationService;
import io.botfleet.fleet.service.CommandService.Issued;
import io.botfleet.fleet.service.FailoverService;
import io.botfleet.fleet.service.FleetControlService;
import io.botfleet.fleet.service.FleetInitService;
import io.botfleet.fleet.service.FleetStatusService;
import io.botfleet.fleet.service.GroupPolicyService;
import io.botfleet.fleet.service.KeyRotationService;
import io.botfleet.fleet.v1.DeregisterBotRequest;
import io.botfleet.fleet.v1.DeregisterBotResponse;
import io.botfleet.fleet.v1.EmergencyStopRequest;
import io.botfleet.fleet.v1.EmergencyStopResponse;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.GetBotRequest;
import io.botfleet.fleet.v1.GetBotResponse;
import io.botfleet.fleet.v1.GetCommandStatusRequest;
import io.botfleet.fleet.v1.GetCommandStatusResponse;
import io.botfleet.fleet.v1.GetFleetStatusRequest;
import io.botfleet.fleet.v1.GetFleetStatusResponse;
import io.botfleet.fleet.v1.InitFleetRequest;
import io.botfleet.fleet.v1.InitFleetResponse;
import io.botfleet.fleet.v1.InitiateFailoverRequest;
import io.botfleet.fleet.v1.InitiateFailoverResponse;
import io.botfleet.fleet.v1.ListBotsRequest;
import io.botfleet.fleet.v1.ListBotsResponse;
import io.botfleet.fleet.v1.ListEventsRequest;
import io.botfleet.fleet.v1.ListEventsResponse;
import io.botfleet.fleet.v1.ListGroupPoliciesRequest;
import io.botfleet.fleet.v1.ListGroupPoliciesResponse;
import io.botfleet.fleet.v1.PauseBotsRequest;
import io.botfleet.fleet.v1.PauseBotsResponse;
import io.botfleet.fleet.v1.RegisterBotRequest;
import io.botfleet.fleet.v1.RegisterBotResponse;
import io.botfleet.fleet.v1.ResumeBotsRequest;
import io.botfleet.fleet.v1.ResumeBotsResponse;
import io.botfleet.fleet.v1.RevokeBotRequest;
import io.botfleet.fleet.v1.RevokeBotResponse;
import io.botfleet.fleet.v1.RotateBotKeyRequest;
import io.botfleet.fleet.v1.RotateBotKeyResponse;
import io.botfleet.fleet.v1.SendCommandRequest;
import io.botfleet.fleet.v1.SendCommandResponse;
import io.botfleet.fleet.v1.SetGroupPolicyRequest;
import io.botfleet.fleet.v1.SetGroupPolicyResponse;
import io.botfleet.fleet.v1.StreamCommandsRequest;
import io.botfleet.fleet.v1.StreamCommandsResponse;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/** The fleet.v1 adapter: requests to use cases, answers and errors back. */
@GrpcService
public class FleetGrpcService extends FleetServiceGrpc.FleetServiceImplBase {

  private static final Duration DAY = Duration.ofHours(24);
  private static final Duration WEEK = Duration.ofDays(7);

  @Inject FleetStatusService fleetStatus;
  @Inject FleetInitService init;
  @Inject BotRegistrationService registration;
  @Inject BotLifecycleService lifecycle;
  @Inject BotQueryService query;
  @Inject FleetControlService control;
  @Inject FailoverService failover;
  @Inject GroupPolicyService policies;
  @Inject KeyRotationService rotations;
  @Inject CommandStreams streams;
  @Inject AuditLog auditLog;
  @Inject ServiceConfig service;

  @Override
  public ServerServiceDefinition bindService() {
    return RawRequests.bind(super.bindService());
  }

  @Override
  @Blocking
  public void initFleet(InitFleetRequest request, StreamObserver<InitFleetResponse> response) {
    var fleet = init.init(request.getOrganization());
    reply(
        response,
        InitFleetResponse.newBuilder()
            .setFleetManagerId(fleet.fleetManagerId())
            .setFleetManagerName(fleet.fleetManagerName())
            .addAllEventTypes(fleet.eventTypes())
            .build());
  }

  @Override
  @Blocking
  public void registerBot(
      RegisterBotRequest request, StreamObserver<RegisterBotResponse> response) {
    var registered = registration.register(BotMapper.toRegistration(request));
    RegisterBotResponse.Builder answer =
        RegisterBotResponse.newBuilder()
            .setBot(BotMapper.toProto(registered.bot()))
            .setEnrollmentToken(registered.enrollmentToken());
    if (registered.enrollmentExpiresAt() != null) {
      answer.setEnrollmentExpireTime(BotMapper.toTimestamp(registered.enrollmentExpiresAt()));
    }
    reply(response, answer.build());
  }

  @Override
  @Blocking
  public void deregisterBot(
      DeregisterBotRequest request, StreamObserver<DeregisterBotResponse> response) {
    var outcome =
        lifecycle.deregister(
            request.getBotId(), request.getGracePeriodSeconds(), request.getRequestId());
    reply(
        response,
        DeregisterBotResponse.newBuilder()
            .setBot(BotMapper.toProto(outcome.bot()))
            .setCommandId(outcome.commandId())
            .build());
  }

  @Override
  @Blocking
  public void revokeBot(RevokeBotRequest request, StreamObserver<RevokeBotResponse> response) {
    var outcome = lifecycle.revoke(request.getBotId(), request.getReason(), request.getRequestId());
    reply(
        response,
        RevokeBotResponse.newBuilder()
            .setBot(BotMapper.toProto(outcome.bot()))
            .setCommandId(outcome.commandId())
            .build());
  }

  @Override
  @Blocking
  public void rotateBotKey(
      RotateBotKeyRequest request, StreamObserver<RotateBotKeyResponse> response) {
    var started =
        rotations.rotate(
            request.getBotId(),
            request.getName(),
            request.getReason(),
            CommandMapper.ttl(request.hasGracePeriod(), request.getGracePeriod(), null),
            request.getRequestId());
    reply(
        response,
        RotateBotKeyResponse.newBuilder()
            .setRotationId(started.rotationId())
            .setKeyVersion(started.keyVersion())
            .setDeadlineTime(BotMapper.toTimestamp(started.deadline()))
            .setCommandId(started.commandId())
            .build());
  }

  @Override
  @Blocking
  public void getBot(GetBotRequest request, StreamObserver<GetBotResponse> response) {
    Bot bot =
        switch (request.getBotCase()) {
          case BOT_ID -> {
            Caller.requireSelfIfBot(request.getBotId());
            yield query.byId(request.getBotId());
          }
          case NAME -> query.byName(request.getName());
          case BOT_NOT_SET -> throw new InvalidArgumentException("bot", "set bot_id or name");
        };
    Caller.requireSelfIfBot(bot.id());
    reply(response, GetBotResponse.newBuilder().setBot(BotMapper.toProto(bot)).build());
  }

  @Override
  @Blocking
  public void listBots(ListBotsRequest request, StreamObserver<ListBotsResponse> response) {
    Set<BotStatus> statuses = EnumSet.noneOf(BotStatus.class);
    for (var status : request.getStatusesList()) {
      BotStatus s = BotMapper.toDomain(status);
      if (s == null) {
        throw new InvalidArgumentException("statuses", "each status must be set");
      }
      statuses.add(s);
    }
    var page =
        query.list(
            new BotFilter(
                request.getGroup(),
                request.getExchange(),
                request.getStrategy(),
                request.getVersion(),
                statuses),
            PageTokens.pageSize(request.getPageSize(), 100, 1000, "page_size"),
            PageTokens.decode(request.getPageToken(), "page_token"));
    ListBotsResponse.Builder answer =
        ListBotsResponse.newBuilder().setTotalSize((int) page.total());
    page.bots().forEach(b -> answer.addBots(BotMapper.toProto(b)));
    answer.setNextPageToken(page.next().map(PageTokens::encode).orElse(""));
    reply(response, answer.build());
  }

  @Override
  @Blocking
  public void pauseBots(PauseBotsRequest request, StreamObserver<PauseBotsResponse> response) {
    Issued issued =
        control.pause(
            CommandMapper.toScope(request.getScope(), "scope"),
            request.getReason(),
            CommandMapper.ttl(request.hasTtl(), request.getTtl(), DAY),
            request.getRequestId());
    reply(
        response,
        PauseBotsResponse.newBuilder()
            .setCommand(CommandMapper.toProto(issued.command()))
            .addAllBotIds(issued.botIds())
            .build());
  }

  @Override
  @Blocking
  public void resumeBots(ResumeBotsRequest request, StreamObserver<ResumeBotsResponse> response) {
    Issued issued =
        control.resume(
            CommandMapper.toScope(request.getScope(), "scope"),
            request.getReason(),
            CommandMapper.ttl(request.hasTtl(), request.getTtl(), DAY),
            request.getRequestId());
    reply(
        response,
        ResumeBotsResponse.newBuilder()
            .setCommand(CommandMapper.toProto(issued.command()))
            .addAllBotIds(issued.botIds())
            .build());
  }

  @Override
  @Blocking
  public void emergencyStop(
      EmergencyStopRequest request, StreamObserver<EmergencyStopResponse> response) {
    Issued issued =
        control.emergencyStop(
            CommandMapper.toScope(request.getScope(), "scope"),
            request.getReason(),
            request.getActionsList(),
            CommandMapper.ttl(request.hasTtl(), request.getTtl(), WEEK),
            request.getRequestId());
    reply(
        response,
        EmergencyStopResponse.newBuilder()
            .setCommand(CommandMapper.toProto(issued.command()))
            .addAllBotIds(issued.botIds())
            .build());
  }

  @Override
  @Blocking
  public void sendCommand(
      SendCommandRequest request, StreamObserver<SendCommandResponse> response) {
    Issued issued =
        control.send(
            CommandMapper.toScope(request.getScope(), "scope"),
            request.getType(),
            StructMapper.toMap(request.getPayload()),
            CommandMapper.ttl(request.hasTtl(), request.getTtl(), DAY),
            request.getRequestId());
    reply(
        response,
        SendCommandResponse.newBuilder()
            .setCommand(CommandMapper.toProto(issued.command()))
            .addAllBotIds(issued.botIds())
            .build());
  }

  @Override
  @Blocking
  public void getCommandStatus(
      GetCommandStatusRequest request, StreamObserver<GetCommandStatusResponse> response) {
    UUID id;
    try {
      id = UUID.fromString(request.getCommandId());
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("command_id", "must be a command id (a UUID)");
    }
    Set<DeliveryState> states = EnumSet.noneOf(DeliveryState.class);
    request.getStatesList().forEach(s -> states.add(CommandMapper.toDomain(s)));
    var status =
        query.commandStatus(
            id,
            states,
            PageTokens.pageSize(request.getPageSize(), 100, 1000, "page_size"),
            PageTokens.decode(request.getPageToken(), "page_token"));
    GetCommandStatusResponse.Builder answer =
        GetCommandStatusResponse.newBuilder()
            .setCommand(CommandMapper.toProto(status.command()))
            .setNextPageToken(status.next().map(PageTokens::encode).orElse(""));
    status.deliveries().forEach(d -> answer.addDeliveries(CommandMapper.toProto(d)));
    reply(response, answer.build());
  }

  @Override
  public StreamObserver<StreamCommandsRequest> streamCommands(
      StreamObserver<StreamCommandsResponse> response) {
    return streams.open(response);
  }

  @Override
  @Blocking
  public void getFleetStatus(
      GetFleetStatusRequest request, StreamObserver<GetFleetStatusResponse> response) {
    reply(response, FleetMapper.toProto(fleetStatus.status()));
  }

  @Override
  @Blocking
  public void initiateFailover(
      InitiateFailoverRequest request, StreamObserver<InitiateFailoverResponse> response) {
    var made =
        failover.initiate(
            request.getDeadBotId(),
            request.getReplacementBotId(),
            request.getReason(),
            request.getRequestId(),
            false);
    reply(
        response,
        InitiateFailoverResponse.newBuilder().setFailover(CommandMapper.toProto(made)).build());
  }

  @Override
  @Blocking
  public void setGroupPolicy(
      SetGroupPolicyRequest request, StreamObserver<SetGroupPolicyResponse> response) {
    var policy = policies.set(CommandMapper.toDomain(request.getPolicy()));
    reply(
        response,
        SetGroupPolicyResponse.newBuilder().setPolicy(CommandMapper.toProto(policy)).build());
  }

  @Override
  @Blocking
  public void listGroupPolicies(
      ListGroupPoliciesRequest request, StreamObserver<ListGroupPoliciesResponse> response) {
    ListGroupPoliciesResponse.Builder answer = ListGroupPoliciesResponse.newBuilder();
    policies.list().forEach(p -> answer.addPolicies(CommandMapper.toProto(p)));
    reply(response, answer.build());
  }

  @Override
  @Blocking
  public void listEvents(ListEventsRequest request, StreamObserver<ListEventsResponse> response) {
    AuditLog.Page page =
        auditLog.list(
            new AuditLog.Query(
                request.getTypesList(),
                request.getBotId(),
                request.getActor(),
                toTime(request.hasStartTime() ? request.getStartTime() : null),
                toTime(request.hasEndTime() ? request.getEndTime() : null),
                PageTokens.pageSize(request.getPageSize(), 100, 1000, "page_size"),
                PageTokens.decode(request.getPageToken(), "page_token")));
    ListEventsResponse.Builder answer = ListEventsResponse.newBuilder();
    page.events().forEach(row -> answer.addEvents(AuditGrpcService.toProto(row, service.name())));
    answer.setNextPageToken(page.nextPosition().map(PageTokens::encode).orElse(""));
    reply(response, answer.build());
  }

  private static <T> void reply(StreamObserver<T> response, T answer) {
    response.onNext(answer);
    response.onCompleted();
  }

  private static OffsetDateTime toTime(Timestamp timestamp) {
    return timestamp == null
        ? null
        : Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos())
            .atOffset(ZoneOffset.UTC);
  }
}
