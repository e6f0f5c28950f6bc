package io.botfleet.fleet.fakes;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.botfleet.deploy.v1.AbortDeploymentRequest;
import io.botfleet.deploy.v1.AbortDeploymentResponse;
import io.botfleet.deploy.v1.CreateDeploymentRequest;
import io.botfleet.deploy.v1.CreateDeploymentResponse;
import io.botfleet.deploy.v1.DeployServiceGrpc;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.DeploymentState;
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
import io.botfleet.deploy.v1.Strategy;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * An in-test deploy-service: deployments kept in memory with the real one's main refusals (version
 * and artifact required, one active deployment per group, unknown id, a state change that does not
 * fit), and a delay a test can set to make fleet-service's deadline expire.
 */
public final class FakeDeploy extends DeployServiceGrpc.DeployServiceImplBase {

  public final Recorder recorder = new Recorder();
  private final Map<String, Deployment> deployments = new ConcurrentHashMap<>();
  private volatile long delayMillis;

  /** Every call waits this long before answering (0: none). */
  public void delay(long millis) {
    delayMillis = millis;
  }

  @Override
  public void createDeployment(
      CreateDeploymentRequest request, StreamObserver<CreateDeploymentResponse> response) {
    if (recorder.failed("CreateDeployment", request, response) || delayed()) {
      return;
    }
    List<BadRequest.FieldViolation> violations = new ArrayList<>();
    if (request.getVersion().isBlank()) {
      violations.add(violation("version", "is required"));
    }
    if (request.getArtifactRef().isBlank()) {
      violations.add(violation("artifact_ref", "is required"));
    }
    if (!violations.isEmpty()) {
      response.onError(
          StatusProto.toStatusRuntimeException(
              com.google.rpc.Status.newBuilder()
                  .setCode(Code.INVALID_ARGUMENT_VALUE)
                  .setMessage(violations.get(0).getField() + ": is required")
                  .addDetails(
                      Any.pack(
                          ErrorInfo.newBuilder()
                              .setReason("INVALID_ARGUMENT")
                              .setDomain("botfleet.io")
                              .build()))
                  .addDetails(
                      Any.pack(BadRequest.newBuilder().addAllFieldViolations(violations).build()))
                  .build()));
      return;
    }
    String group = request.getSelector().getScope().getGroup();
    for (Deployment d : deployments.values()) {
      if (d.getGroup().equals(group) && active(d.getState())) {
        response.onError(
            error(
                Code.FAILED_PRECONDITION,
                "DEPLOYMENT_ACTIVE",
                "group " + group + " has an active deployment",
                Map.of("deployment_id", d.getId(), "group", group)));
        return;
      }
    }
    Deployment deployment =
        Deployment.newBuilder()
            .setId(UUID.randomUUID().toString())
            .setVersion(request.getVersion())
            .setArtifactRef(request.getArtifactRef())
            .setSelector(request.getSelector())
            .setGroup(group)
            .setStrategy(
                request.getStrategy() == Strategy.STRATEGY_UNSPECIFIED
                    ? Strategy.STRATEGY_CANARY
                    : request.getStrategy())
            .setState(DeploymentState.DEPLOYMENT_STATE_CANARY)
            .setRequestedBy(FakeServices.CALLER.get())
            .setCreateTime(FakeIdentity.timestamp(Instant.now()))
            .build();
    deployments.put(deployment.getId(), deployment);
    FakeIdentity.reply(
        response, CreateDeploymentResponse.newBuilder().setDeployment(deployment).build());
  }

  @Override
  public void getDeployment(
      GetDeploymentRequest request, StreamObserver<GetDeploymentResponse> response) {
    if (recorder.failed("GetDeployment", request, response) || delayed()) {
      return;
    }
    Deployment d = deployments.get(request.getDeploymentId());
    if (d == null) {
      response.onError(notFound(request.getDeploymentId()));
      return;
    }
    FakeIdentity.reply(response, GetDeploymentResponse.newBuilder().setDeployment(d).build());
  }

  @Override
  public void listDeployments(
      ListDeploymentsRequest request, StreamObserver<ListDeploymentsResponse> response) {
    if (recorder.failed("ListDeployments", request, response) || delayed()) {
      return;
    }
    ListDeploymentsResponse.Builder answer = ListDeploymentsResponse.newBuilder();
    deployments.values().stream()
        .filter(d -> request.getGroup().isEmpty() || d.getGroup().equals(request.getGroup()))
        .filter(
            d ->
                request.getStatesList().isEmpty() || request.getStatesList().contains(d.getState()))
        .forEach(answer::addDeployments);
    FakeIdentity.reply(response, answer.build());
  }

  @Override
  public void pauseDeployment(
      PauseDeploymentRequest request, StreamObserver<PauseDeploymentResponse> response) {
    if (recorder.failed("PauseDeployment", request, response) || delayed()) {
      return;
    }
    Deployment d =
        change(
            request.getDeploymentId(),
            response,
            current ->
                current.toBuilder()
                    .setPausedFrom(current.getState())
                    .setState(DeploymentState.DEPLOYMENT_STATE_PAUSED)
                    .setReason(request.getReason())
                    .build());
    if (d != null) {
      FakeIdentity.reply(response, PauseDeploymentResponse.newBuilder().setDeployment(d).build());
    }
  }

  @Override
  public void resumeDeployment(
      ResumeDeploymentRequest request, StreamObserver<ResumeDeploymentResponse> response) {
    if (recorder.failed("ResumeDeployment", request, response) || delayed()) {
      return;
    }
    Deployment d =
        change(
            request.getDeploymentId(),
            response,
            current -> current.toBuilder().setState(current.getPausedFrom()).build());
    if (d != null) {
      FakeIdentity.reply(response, ResumeDeploymentResponse.newBuilder().setDeployment(d).build());
    }
  }

  @Override
  public void abortDeployment(
      AbortDeploymentRequest request, StreamObserver<AbortDeploymentResponse> response) {
    if (recorder.failed("AbortDeployment", request, response) || delayed()) {
      return;
    }
    Deployment d =
        change(
            request.getDeploymentId(),
            response,
            current ->
                current.toBuilder()
                    .setState(DeploymentState.DEPLOYMENT_STATE_ABORTED)
                    .setReason(request.getReason())
                    .build());
    if (d != null) {
      FakeIdentity.reply(response, AbortDeploymentResponse.newBuilder().setDeployment(d).build());
    }
  }

  @Override
  public void rollbackDeployment(
      RollbackDeploymentRequest request, StreamObserver<RollbackDeploymentResponse> response) {
    if (recorder.failed("RollbackDeployment", request, response) || delayed()) {
      return;
    }
    // An aborted deployment can still be rolled back (its updated bots kept the new version).
    Deployment d =
        change(
            request.getDeploymentId(),
            response,
            DeploymentState.DEPLOYMENT_STATE_ABORTED,
            current ->
                current.toBuilder()
                    .setState(DeploymentState.DEPLOYMENT_STATE_ROLLING_BACK)
                    .setReason(request.getReason())
                    .build());
    if (d != null) {
      FakeIdentity.reply(
          response, RollbackDeploymentResponse.newBuilder().setDeployment(d).build());
    }
  }

  private Deployment change(
      String id, StreamObserver<?> response, UnaryOperator<Deployment> change) {
    return change(id, response, DeploymentState.DEPLOYMENT_STATE_UNSPECIFIED, change);
  }

  private Deployment change(
      String id,
      StreamObserver<?> response,
      DeploymentState alsoFrom,
      UnaryOperator<Deployment> change) {
    Deployment current = deployments.get(id);
    if (current == null) {
      response.onError(notFound(id));
      return null;
    }
    if (!active(current.getState()) && current.getState() != alsoFrom) {
      response.onError(
          error(
              Code.FAILED_PRECONDITION,
              "DEPLOYMENT_FINISHED",
              "deployment " + id + " is " + current.getState(),
              Map.of("deployment_id", id)));
      return null;
    }
    Deployment changed = change.apply(current);
    deployments.put(id, changed);
    return changed;
  }

  private boolean delayed() {
    long delay = delayMillis;
    if (delay > 0) {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return false;
  }

  private static boolean active(DeploymentState state) {
    return switch (state) {
      case DEPLOYMENT_STATE_PENDING,
          DEPLOYMENT_STATE_CANARY,
          DEPLOYMENT_STATE_ROLLING,
          DEPLOYMENT_STATE_PAUSED ->
          true;
      default -> false;
    };
  }

  private static RuntimeException notFound(String id) {
    return error(
        Code.NOT_FOUND, "DEPLOYMENT_NOT_FOUND", "no deployment " + id, Map.of("deployment_id", id));
  }

  static RuntimeException error(
      Code code, String reason, String message, Map<String, String> metadata) {
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage(message)
            .addDetails(
                Any.pack(
                    ErrorInfo.newBuilder()
                        .setReason(reason)
                        .setDomain("botfleet.io")
                        .putAllMetadata(metadata)
                        .build()))
            .build());
  }

  private static BadRequest.FieldViolation violation(String field, String description) {
    return BadRequest.FieldViolation.newBuilder()
        .setField(field)
        .setDescription(description)
        .build();
  }
}
