package io.botfleet.sdk.fake;

import io.botfleet.fleet.v1.CommandAck;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.StreamCommandsRequest;
import io.botfleet.fleet.v1.StreamCommandsResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * fleet-service's command stream: on open, every command of the bot not yet settled (DONE, FAILED,
 * REJECTED) and not expired, priority first then by sequence; then new ones as the test sends them.
 * Acks are recorded per command.
 */
final class FakeFleetService extends FleetServiceGrpc.FleetServiceImplBase {

  private final FakeControlPlane plane;

  FakeFleetService(FakeControlPlane plane) {
    this.plane = plane;
  }

  @Override
  public StreamObserver<StreamCommandsRequest> streamCommands(
      StreamObserver<StreamCommandsResponse> responses) {
    String agentId = VerifyingInterceptor.CALLER.get();
    var stream = (ServerCallStreamObserver<StreamCommandsResponse>) responses;
    stream.setOnCancelHandler(() -> plane.commandStreamClosed(agentId, stream));
    plane.commandStreamOpened(agentId, stream);
    return new StreamObserver<>() {
      @Override
      public void onNext(StreamCommandsRequest request) {
        CommandAck ack = request.getAck();
        plane.commands(agentId).stream()
            .filter(command -> command.id.equals(ack.getCommandId()))
            .findFirst()
            .ifPresent(command -> command.acks.add(ack));
      }

      @Override
      public void onError(Throwable error) {
        plane.commandStreamClosed(agentId, stream);
      }

      @Override
      public void onCompleted() {
        plane.commandStreamClosed(agentId, stream);
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
}
