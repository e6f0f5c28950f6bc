package io.botfleet.common.events;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.botfleet.common.config.ServiceConfig;
import io.botfleet.common.grpc.RawRequests;
import io.botfleet.common.v1.AuditServiceGrpc;
import io.botfleet.common.v1.Event;
import io.botfleet.common.v1.GetGreenHelixUsageRequest;
import io.botfleet.common.v1.GetGreenHelixUsageResponse;
import io.botfleet.common.v1.GreenHelixUsage;
import io.botfleet.common.v1.ListEventsRequest;
import io.botfleet.common.v1.ListEventsResponse;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Serves the service's own audit log and GreenHelix usage (common.v1 AuditService). Every botfleet
 * service serves it.
 */
@GrpcService
public class AuditGrpcService extends AuditServiceGrpc.AuditServiceImplBase {

  @Inject AuditLog auditLog;
  @Inject ServiceConfig service;

  @Override
  public ServerServiceDefinition bindService() {
    return RawRequests.bind(super.bindService());
  }

  @Override
  @Blocking
  public void listEvents(ListEventsRequest request, StreamObserver<ListEventsResponse> response) {
    AuditLog.Page page =
        auditLog.list(
            new AuditLog.Query(
                request.getTypesList(),
                request.getAgentId(),
                "",
                toInstant(request.hasStartTime() ? request.getStartTime() : null),
                toInstant(request.hasEndTime() ? request.getEndTime() : null),
                PageTokens.pageSize(request.getPageSize(), 100, 1000, "page_size"),
                PageTokens.decode(request.getPageToken(), "page_token")));
    ListEventsResponse.Builder answer = ListEventsResponse.newBuilder();
    page.events().forEach(row -> answer.addEvents(toProto(row, service.name())));
    answer.setNextPageToken(page.nextPosition().map(PageTokens::encode).orElse(""));
    response.onNext(answer.build());
    response.onCompleted();
  }

  @Override
  @Blocking
  public void getGreenHelixUsage(
      GetGreenHelixUsageRequest request, StreamObserver<GetGreenHelixUsageResponse> response) {
    List<AuditLog.Usage> usage =
        auditLog.greenHelixUsage(
            toInstant(request.hasStartTime() ? request.getStartTime() : null),
            toInstant(request.hasEndTime() ? request.getEndTime() : null));
    GetGreenHelixUsageResponse.Builder answer = GetGreenHelixUsageResponse.newBuilder();
    usage.forEach(
        u ->
            answer.addUsage(
                GreenHelixUsage.newBuilder()
                    .setAgentId(u.agentId())
                    .setTool(u.tool())
                    .setCalls(u.calls())));
    response.onNext(answer.build());
    response.onCompleted();
  }

  /** The proto form of a stored event. */
  public static Event toProto(AuditLog.Row row, String serviceName) {
    Struct.Builder payload = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(row.payloadJson(), payload);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored event " + row.id() + " has a malformed payload", e);
    }
    return Event.newBuilder()
        .setId(row.id().toString())
        .setType(row.type())
        .setAgentId(row.agentId() == null ? "" : row.agentId())
        .setActor(row.actor())
        .setService(serviceName)
        .setPayload(payload)
        .setCreateTime(
            Timestamp.newBuilder()
                .setSeconds(row.createdAt().getEpochSecond())
                .setNanos(row.createdAt().getNano()))
        .build();
  }

  private static OffsetDateTime toInstant(Timestamp timestamp) {
    if (timestamp == null) {
      return null;
    }
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos())
        .atOffset(ZoneOffset.UTC);
  }
}
