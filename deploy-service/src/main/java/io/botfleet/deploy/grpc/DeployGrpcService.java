package io.botfleet.deploy.grpc;

import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.common.events.PageTokens;
import io.botfleet.common.grpc.RawRequests;
import io.botfleet.deploy.service.DeploymentService;
import io.botfleet.deploy.v1.DeployServiceGrpc;
import io.botfleet.deploy.v1.DeploymentState;
import io.botfleet.deploy.v1.GetDeploymentRequest;
import io.botfleet.deploy.v1.GetDeploymentResponse;
import io.botfleet.deploy.v1.ListDeploymentsRequest;
import io.botfleet.deploy.v1.ListDeploymentsResponse;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;

/** The deploy.v1 adapter. RPCs not overridden here answer UNIMPLEMENTED. */
@GrpcService
public class DeployGrpcService extends DeployServiceGrpc.DeployServiceImplBase {

  @Inject DeploymentService deployments;

  @Override
  public ServerServiceDefinition bindService() {
    return RawRequests.bind(super.bindService());
  }

  @Override
  @Blocking
  public void getDeployment(
      GetDeploymentRequest request, StreamObserver<GetDeploymentResponse> response) {
    response.onNext(
        GetDeploymentResponse.newBuilder()
            .setDeployment(DeploymentMapper.toProto(deployments.get(request.getDeploymentId())))
            .build());
    response.onCompleted();
  }

  @Override
  @Blocking
  public void listDeployments(
      ListDeploymentsRequest request, StreamObserver<ListDeploymentsResponse> response) {
    if (request.getStatesList().contains(DeploymentState.DEPLOYMENT_STATE_UNSPECIFIED)) {
      throw new InvalidArgumentException("states", "must not contain DEPLOYMENT_STATE_UNSPECIFIED");
    }
    DeploymentService.Page page =
        deployments.list(
            request.getGroup(),
            request.getStatesList().stream().map(DeploymentMapper::toDomain).toList(),
            PageTokens.pageSize(request.getPageSize(), 100, 1000, "page_size"),
            PageTokens.decode(request.getPageToken(), "page_token"));
    ListDeploymentsResponse.Builder answer = ListDeploymentsResponse.newBuilder();
    page.deployments().forEach(d -> answer.addDeployments(DeploymentMapper.toProto(d)));
    answer.setNextPageToken(page.nextPosition().map(PageTokens::encode).orElse(""));
    response.onNext(answer.build());
    response.onCompleted();
  }
}
