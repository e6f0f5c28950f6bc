package io.botfleet.permission.grpc;

import io.botfleet.common.grpc.RawRequests;
import io.botfleet.permission.service.TierService;
import io.botfleet.permission.v1.ListTiersRequest;
import io.botfleet.permission.v1.ListTiersResponse;
import io.botfleet.permission.v1.PermissionServiceGrpc;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;

/** The permission.v1 adapter. RPCs not overridden here answer UNIMPLEMENTED. */
@GrpcService
public class PermissionGrpcService extends PermissionServiceGrpc.PermissionServiceImplBase {

  @Inject TierService tiers;

  @Override
  public ServerServiceDefinition bindService() {
    return RawRequests.bind(super.bindService());
  }

  @Override
  @Blocking
  public void listTiers(ListTiersRequest request, StreamObserver<ListTiersResponse> response) {
    ListTiersResponse.Builder answer = ListTiersResponse.newBuilder();
    tiers.tiers().forEach(tier -> answer.addTiers(PermissionMapper.toProto(tier)));
    response.onNext(answer.build());
    response.onCompleted();
  }
}
