package io.botfleet.sdk.fake;

import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Sends the command stream's response headers as soon as the stream is accepted, which tells the
 * bot at once that fleet-service took it (botfleet's fleet-service should do the same).
 */
final class EarlyHeaders implements ServerInterceptor {

  private static final String COMMANDS =
      FleetServiceGrpc.getStreamCommandsMethod().getFullMethodName();

  private final FakeControlPlane plane;

  EarlyHeaders(FakeControlPlane plane) {
    this.plane = plane;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (!COMMANDS.equals(call.getMethodDescriptor().getFullMethodName())
        || !plane.commandHeadersAtOnce()) {
      return next.startCall(call, headers);
    }
    ServerCall<ReqT, RespT> once =
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          private boolean sent;

          @Override
          public synchronized void sendHeaders(Metadata responseHeaders) {
            if (!sent) {
              sent = true;
              super.sendHeaders(responseHeaders);
            }
          }
        };
    once.sendHeaders(new Metadata());
    return next.startCall(once, headers);
  }
}
