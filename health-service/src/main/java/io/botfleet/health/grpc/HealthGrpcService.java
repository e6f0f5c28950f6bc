package io.botfleet.health.grpc;

import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.common.grpc.RawRequests;
import io.botfleet.health.service.HealthPolicyService;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.health.v1.GetHealthPolicyRequest;
import io.botfleet.health.v1.GetHealthPolicyResponse;
import io.botfleet.health.v1.SetHealthPolicyRequest;
import io.botfleet.health.v1.SetHealthPolicyResponse;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;

/** The health.v1 adapter. RPCs not overridden here answer UNIMPLEMENTED. */
@GrpcService
public class HealthGrpcService extends FleetHealthServiceGrpc.FleetHealthServiceImplBase {

  @Inject HealthPolicyService policies;

  @Override
  public ServerServiceDefinition bindService() {
    return RawRequests.bind(super.bindService());
  }

  @Override
  @Blocking
  public void setHealthPolicy(
      SetHealthPolicyRequest request, StreamObserver<SetHealthPolicyResponse> response) {
    if (!request.hasPolicy()) {
      throw new InvalidArgumentException("policy", "is required");
    }
    var stored = policies.set(HealthMapper.toDomain(request.getPolicy()));
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
}
