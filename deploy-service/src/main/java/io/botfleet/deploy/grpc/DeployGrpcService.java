package io.botfleet.deploy.grpc;

import io.botfleet.common.auth.Caller;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.common.events.PageTokens;
import io.botfleet.common.grpc.RawRequests;
import io.botfleet.deploy.domain.DeploymentDetail;
import io.botfleet.deploy.service.DeploymentControlService;
import io.botfleet.deploy.service.DeploymentCreation;
import io.botfleet.deploy.service.DeploymentService;
import io.botfleet.deploy.service.ProgressFeed;
import io.botfleet.deploy.v1.AbortDeploymentRequest;
import io.botfleet.deploy.v1.AbortDeploymentResponse;
import io.botfleet.deploy.v1.CreateDeploymentRequest;
import io.botfleet.deploy.v1.CreateDeploymentResponse;
import io.botfleet.deploy.v1.DeployServiceGrpc;
import io.botfleet.deploy.v1.DeploymentState;
import io.botfleet.deploy.v1.GetDeploymentRequest;
import io.botfleet.deploy.v1.GetDeploymentResponse;
import io.botfleet.deploy.v1.GetVersionMapRequest;
import io.botfleet.deploy.v1.GetVersionMapResponse;
import io.botfleet.deploy.v1.ListDeploymentsRequest;
import io.botfleet.deploy.v1.ListDeploymentsResponse;
import io.botfleet.deploy.v1.PauseDeploymentRequest;
import io.botfleet.deploy.v1.PauseDeploymentResponse;
import io.botfleet.deploy.v1.ResumeDeploymentRequest;
import io.botfleet.deploy.v1.ResumeDeploymentResponse;
import io.botfleet.deploy.v1.RollbackDeploymentRequest;
import io.botfleet.deploy.v1.RollbackDeploymentResponse;
import io.botfleet.deploy.v1.WatchDeploymentRequest;
import io.botfleet.deploy.v1.WatchDeploymentResponse;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.time.Instant;

/** The deploy.v1 adapter. */
@GrpcService
public class DeployGrpcService extends DeployServiceGrpc.DeployServiceImplBase {

  @Inject DeploymentService deployments;
  @Inject DeploymentCreation creation;
  @Inject DeploymentControlService control;
  @Inject ProgressFeed progress;

  @Override
  public ServerServiceDefinition bindService() {
    return RawRequests.bind(super.bindService());
  }

  @Override
  @Blocking
  public void createDeployment(
      CreateDeploymentRequest request, StreamObserver<CreateDeploymentResponse> response) {
    String id = creation.create(RolloutMapper.toDomain(request, Caller.current().agentId()));
    response.onNext(CreateDeploymentResponse.newBuilder().setDeployment(detail(id)).build());
    response.onCompleted();
  }

  @Override
  @Blocking
  public void getDeployment(
      GetDeploymentRequest request, StreamObserver<GetDeploymentResponse> response) {
    response.onNext(
        GetDeploymentResponse.newBuilder()
            .setDeployment(detail(requireId(request.getDeploymentId())))
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

  @Override
  @Blocking
  public void pauseDeployment(
      PauseDeploymentRequest request, StreamObserver<PauseDeploymentResponse> response) {
    String id = requireId(request.getDeploymentId());
    control.pause(id, request.getReason(), Caller.current().agentId());
    response.onNext(PauseDeploymentResponse.newBuilder().setDeployment(detail(id)).build());
    response.onCompleted();
  }

  @Override
  @Blocking
  public void resumeDeployment(
      ResumeDeploymentRequest request, StreamObserver<ResumeDeploymentResponse> response) {
    String id = requireId(request.getDeploymentId());
    control.resume(id, Caller.current().agentId());
    response.onNext(ResumeDeploymentResponse.newBuilder().setDeployment(detail(id)).build());
    response.onCompleted();
  }

  @Override
  @Blocking
  public void abortDeployment(
      AbortDeploymentRequest request, StreamObserver<AbortDeploymentResponse> response) {
    String id = requireId(request.getDeploymentId());
    control.abort(id, requireReason(request.getReason()), Caller.current().agentId());
    response.onNext(AbortDeploymentResponse.newBuilder().setDeployment(detail(id)).build());
    response.onCompleted();
  }

  @Override
  @Blocking
  public void rollbackDeployment(
      RollbackDeploymentRequest request, StreamObserver<RollbackDeploymentResponse> response) {
    String id = requireId(request.getDeploymentId());
    control.rollback(id, requireReason(request.getReason()), Caller.current().agentId());
    response.onNext(RollbackDeploymentResponse.newBuilder().setDeployment(detail(id)).build());
    response.onCompleted();
  }

  @Override
  @Blocking
  public void watchDeployment(
      WatchDeploymentRequest request, StreamObserver<WatchDeploymentResponse> response) {
    String id = requireId(request.getDeploymentId());
    deployments.get(id);
    ServerCallStreamObserver<WatchDeploymentResponse> stream =
        (ServerCallStreamObserver<WatchDeploymentResponse>) response;
    progress.subscribe(id, new StreamSink(stream));
  }

  @Override
  @Blocking
  public void getVersionMap(
      GetVersionMapRequest request, StreamObserver<GetVersionMapResponse> response) {
    response.onNext(DeploymentMapper.toProto(deployments.versionMap(request.getGroup())));
    response.onCompleted();
  }

  private io.botfleet.deploy.v1.Deployment detail(String id) {
    return DeploymentMapper.toProto(deployments.detail(id));
  }

  private static String requireId(String id) {
    if (id.isBlank()) {
      throw new InvalidArgumentException("deployment_id", "required");
    }
    return id;
  }

  private static String requireReason(String reason) {
    if (reason.isBlank()) {
      throw new InvalidArgumentException("reason", "required: say why, for the audit trail");
    }
    if (reason.length() > 1024) {
      throw new InvalidArgumentException("reason", "at most 1024 characters");
    }
    return reason;
  }

  /** Writes a deployment's progress to one WatchDeployment stream. */
  private static final class StreamSink implements ProgressFeed.Sink {

    private final ServerCallStreamObserver<WatchDeploymentResponse> stream;
    private volatile boolean open = true;

    StreamSink(ServerCallStreamObserver<WatchDeploymentResponse> stream) {
      this.stream = stream;
      stream.setOnCancelHandler(() -> open = false);
    }

    @Override
    public void send(DeploymentDetail deployment, String message, Instant time) {
      if (open) {
        stream.onNext(
            WatchDeploymentResponse.newBuilder()
                .setDeployment(DeploymentMapper.toProto(deployment))
                .setMessage(message)
                .setEventTime(DeploymentMapper.toTimestamp(time))
                .build());
      }
    }

    @Override
    public void end() {
      if (open) {
        open = false;
        stream.onCompleted();
      }
    }

    @Override
    public boolean open() {
      return open && !stream.isCancelled();
    }
  }
}
