package io.botfleet.fleet.client;

import io.botfleet.common.grpc.RemoteErrors;
import io.botfleet.deploy.v1.AbortDeploymentRequest;
import io.botfleet.deploy.v1.AbortDeploymentResponse;
import io.botfleet.deploy.v1.CreateDeploymentRequest;
import io.botfleet.deploy.v1.CreateDeploymentResponse;
import io.botfleet.deploy.v1.DeployServiceGrpc;
import io.botfleet.deploy.v1.GetDeploymentRequest;
import io.botfleet.deploy.v1.GetDeploymentResponse;
import io.botfleet.deploy.v1.ListDeploymentsRequest;
import io.botfleet.deploy.v1.ListDeploymentsResponse;
import io.botfleet.deploy.v1.PauseDeploymentRequest;
import io.botfleet.deploy.v1.PauseDeploymentResponse;
import io.botfleet.deploy.v1.ResumeDeploymentRequest;
import io.botfleet.deploy.v1.ResumeDeploymentResponse;
import io.botfleet.deploy.v1.RollbackDeploymentRequest;
import io.botfleet.deploy.v1.RollbackDeploymentResponse;
import io.botfleet.fleet.config.FleetConfig;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;

/**
 * fleet-service's calls to deploy-service, for the REST gateway's deployment routes. The requests
 * and answers pass through as they are (the gateway transcodes them to JSON); failures are
 * translated as for every callee.
 */
@ApplicationScoped
public class DeployClient {

  private static final String SERVICE = "deploy-service";
  private static final RemoteErrors ERRORS = new RemoteErrors("fleet-service");

  @GrpcClient("deploy")
  Channel channel;

  @Inject FleetConfig config;

  /** CreateDeployment. */
  public CreateDeploymentResponse create(CreateDeploymentRequest request) {
    return ERRORS.call(SERVICE, "CreateDeployment", () -> stub().createDeployment(request));
  }

  /** GetDeployment. */
  public GetDeploymentResponse get(GetDeploymentRequest request) {
    return ERRORS.call(SERVICE, "GetDeployment", () -> stub().getDeployment(request));
  }

  /** ListDeployments. */
  public ListDeploymentsResponse list(ListDeploymentsRequest request) {
    return ERRORS.call(SERVICE, "ListDeployments", () -> stub().listDeployments(request));
  }

  /** PauseDeployment. */
  public PauseDeploymentResponse pause(PauseDeploymentRequest request) {
    return ERRORS.call(SERVICE, "PauseDeployment", () -> stub().pauseDeployment(request));
  }

  /** ResumeDeployment. */
  public ResumeDeploymentResponse resume(ResumeDeploymentRequest request) {
    return ERRORS.call(SERVICE, "ResumeDeployment", () -> stub().resumeDeployment(request));
  }

  /** AbortDeployment. */
  public AbortDeploymentResponse abort(AbortDeploymentRequest request) {
    return ERRORS.call(SERVICE, "AbortDeployment", () -> stub().abortDeployment(request));
  }

  /** RollbackDeployment. */
  public RollbackDeploymentResponse rollback(RollbackDeploymentRequest request) {
    return ERRORS.call(SERVICE, "RollbackDeployment", () -> stub().rollbackDeployment(request));
  }

  private DeployServiceGrpc.DeployServiceBlockingStub stub() {
    return DeployServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(config.callDeadline().toMillis(), TimeUnit.MILLISECONDS);
  }
}
