package io.botfleet.health.grpc;

import io.botfleet.health.domain.HealthEvent;
import io.botfleet.health.service.HealthEventFeed;
import io.botfleet.health.service.HealthWatcher;
import io.botfleet.health.v1.WatchHealthResponse;
import io.grpc.stub.ServerCallStreamObserver;

/** One WatchHealth stream, fed by the event feed within the stream's flow control. */
final class WatchStream implements HealthWatcher {

  private final ServerCallStreamObserver<WatchHealthResponse> stream;
  private volatile boolean open = true;

  WatchStream(ServerCallStreamObserver<WatchHealthResponse> stream, HealthEventFeed feed) {
    this.stream = stream;
    stream.setOnCancelHandler(() -> open = false);
    // A stream that was full asks for more: the feed catches it up from its position.
    stream.setOnReadyHandler(feed::wake);
  }

  @Override
  public void send(long sequence, HealthEvent event) {
    if (!open) {
      return;
    }
    try {
      stream.onNext(HeartbeatMapper.toProto(sequence, event));
    } catch (RuntimeException e) {
      open = false;
    }
  }

  @Override
  public boolean ready() {
    return open && stream.isReady();
  }

  @Override
  public boolean open() {
    return open && !stream.isCancelled();
  }
}
