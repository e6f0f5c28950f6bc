package io.botfleet.sdk.fake;

import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.health.v1.HealthIssue;
import io.botfleet.health.v1.HealthStatus;
import io.botfleet.health.v1.Heartbeat;
import io.botfleet.health.v1.StreamHeartbeatsRequest;
import io.botfleet.health.v1.StreamHeartbeatsResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * health-service's heartbeat stream: records each heartbeat and answers it with the guide's
 * drawdown evaluation (enough for the tests), unless told to stay silent or answer late.
 */
final class FakeHealthService extends FleetHealthServiceGrpc.FleetHealthServiceImplBase {

  private final FakeControlPlane plane;

  FakeHealthService(FakeControlPlane plane) {
    this.plane = plane;
  }

  @Override
  public StreamObserver<StreamHeartbeatsRequest> streamHeartbeats(
      StreamObserver<StreamHeartbeatsResponse> responses) {
    String agentId = VerifyingInterceptor.CALLER.get();
    var stream = (ServerCallStreamObserver<StreamHeartbeatsResponse>) responses;
    plane.heartbeatStreams.add(stream);
    stream.setOnCancelHandler(() -> plane.heartbeatStreams.remove(stream));
    return new StreamObserver<>() {
      @Override
      public void onNext(StreamHeartbeatsRequest request) {
        Heartbeat heartbeat = request.getHeartbeat();
        plane.heartbeats.computeIfAbsent(agentId, a -> new CopyOnWriteArrayList<>()).add(heartbeat);
        if (plane.healthSilent()) {
          return;
        }
        StreamHeartbeatsResponse answer = evaluate(heartbeat);
        long delay = plane.healthDelay().toMillis();
        Runnable reply =
            () -> {
              synchronized (stream) {
                try {
                  stream.onNext(answer);
                } catch (RuntimeException closed) {
                  // the stream ended meanwhile
                }
              }
            };
        if (delay > 0) {
          CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(reply);
        } else {
          reply.run();
        }
      }

      @Override
      public void onError(Throwable error) {
        plane.heartbeatStreams.remove(stream);
      }

      @Override
      public void onCompleted() {
        plane.heartbeatStreams.remove(stream);
        synchronized (stream) {
          try {
            stream.onCompleted();
          } catch (RuntimeException ignored) {
            // already closed
          }
        }
      }
    };
  }

  private static StreamHeartbeatsResponse evaluate(Heartbeat heartbeat) {
    StreamHeartbeatsResponse.Builder answer =
        StreamHeartbeatsResponse.newBuilder()
            .setSequence(heartbeat.getSequence())
            .setAccepted(true)
            .setStatus(HealthStatus.HEALTH_STATUS_HEALTHY);
    double drawdown = heartbeat.getDrawdownPct();
    if (drawdown > 5) {
      boolean high = drawdown > 10;
      answer
          .setStatus(
              high ? HealthStatus.HEALTH_STATUS_CRITICAL : HealthStatus.HEALTH_STATUS_WARNING)
          .addIssues(
              HealthIssue.newBuilder()
                  .setCode(high ? "high_drawdown" : "elevated_drawdown")
                  .setCritical(high)
                  .setValue(drawdown)
                  .setThreshold(high ? 10 : 5)
                  .setText(
                      String.format(
                          "%s:%.1f%%", high ? "high_drawdown" : "elevated_drawdown", drawdown)));
    }
    return answer.build();
  }
}
