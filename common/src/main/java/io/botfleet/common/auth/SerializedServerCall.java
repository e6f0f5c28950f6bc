package io.botfleet.common.auth;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

/**
 * A server call that may be written and closed from several threads: the service's own threads
 * write messages while a revocation may close it. Writes after the close are dropped, since the
 * peer is gone anyway.
 */
final class SerializedServerCall<ReqT, RespT>
    extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {

  private boolean closed;

  SerializedServerCall(ServerCall<ReqT, RespT> delegate) {
    super(delegate);
  }

  @Override
  public synchronized void sendHeaders(Metadata headers) {
    if (!closed) {
      super.sendHeaders(headers);
    }
  }

  @Override
  public synchronized void sendMessage(RespT message) {
    if (!closed) {
      super.sendMessage(message);
    }
  }

  @Override
  public synchronized void close(Status status, Metadata trailers) {
    if (!closed) {
      closed = true;
      super.close(status, trailers);
    }
  }

  @Override
  public synchronized boolean isReady() {
    return !closed && super.isReady();
  }
}
