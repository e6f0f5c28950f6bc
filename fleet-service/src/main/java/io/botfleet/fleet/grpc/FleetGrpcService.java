package io.botfleet.fleet.grpc;

import com.google.protobuf.Timestamp;
import io.botfleet.common.config.ServiceConfig;
import io.botfleet.common.events.AuditGrpcService;
import io.botfleet.common.events.AuditLog;
import io.botfleet.common.events.PageTokens;
import io.botfleet.common.grpc.RawRequests;
import io.botfleet.fleet.service.FleetStatusService;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.GetFleetStatusRequest;
import io.botfleet.fleet.v1.GetFleetStatusResponse;
import io.botfleet.fleet.v1.ListEventsRequest;
import io.botfleet.fleet.v1.ListEventsResponse;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The fleet.v1 adapter. RPCs not overridden here answer UNIMPLEMENTED. */
@GrpcService
public class FleetGrpcService extends FleetServiceGrpc.FleetServiceImplBase {

  @Inject FleetStatusService fleetStatus;
  @Inject AuditLog auditLog;
  @Inject ServiceConfig service;

  @Override
  public ServerServiceDefinition bindService() {
    return RawRequests.bind(super.bindService());
  }

  @Override
  @Blocking
  public void getFleetStatus(
      GetFleetStatusRequest request, StreamObserver<GetFleetStatusResponse> response) {
    response.onNext(FleetMapper.toProto(fleetStatus.status()));
    response.onCompleted();
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
    response.onNext(answer.build());
    response.onCompleted();
  }

  private static OffsetDateTime toTime(Timestamp timestamp) {
    return timestamp == null
        ? null
        : Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos())
            .atOffset(ZoneOffset.UTC);
  }
}
