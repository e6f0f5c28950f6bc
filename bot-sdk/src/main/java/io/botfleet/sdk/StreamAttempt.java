package io.botfleet.sdk;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

/**
 * One opening of one of the client's bidirectional streams (commands, heartbeats, permission
 * checks): keeps the request side for writing, and turns every way the call can end (an error, or
 * the service completing it) into one {@link #streamEnded} with a status.
 */
abstract class StreamAttempt<ReqT, RespT> implements ClientResponseObserver<ReqT, RespT> {

  private final String service;
  volatile ClientCallStreamObserver<ReqT> requests;

  /**
   * @param service the service's name, for the status when it ends the stream itself
   */
  StreamAttempt(String service) {
    this.service = service;
  }

  /** Called once when the call ends, for whatever reason. */
  abstract void streamEnded(Status status);

  @Override
  public final void beforeStart(ClientCallStreamObserver<ReqT> requestStream) {
    requests = requestStream;
  }

  @Override
  public final void onError(Throwable error) {
    streamEnded(Status.fromThrowable(error));
  }

  @Override
  public final void onCompleted() {
    streamEnded(Status.UNAVAILABLE.withDescription("closed by " + service));
  }
}
