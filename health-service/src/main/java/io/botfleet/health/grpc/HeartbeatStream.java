package io.botfleet.health.grpc;

import io.botfleet.common.grpc.GrpcErrors;
import io.botfleet.health.service.HeartbeatService;
import io.botfleet.health.v1.StreamHeartbeatsRequest;
import io.botfleet.health.v1.StreamHeartbeatsResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One bot's heartbeat stream. Each heartbeat gets one answer, sent when the writer has committed it
 * (or at once if it is malformed). The stream asks for a few heartbeats at a time (gRPC flow
 * control), so a bot that floods is slowed by its own stream, not by everyone's queue. Answers are
 * sent on the stream's own event loop, where the transport expects its calls.
 */
final class HeartbeatStream implements StreamObserver<StreamHeartbeatsRequest> {

  private final String botId;
  private final HeartbeatService heartbeats;
  private final ServerCallStreamObserver<StreamHeartbeatsResponse> stream;
  private final Executor onStream;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean halfClosed;

  HeartbeatStream(
      String botId,
      HeartbeatService heartbeats,
      ServerCallStreamObserver<StreamHeartbeatsResponse> stream,
      int window) {
    this.botId = botId;
    this.heartbeats = heartbeats;
    this.stream = stream;
    Context context = Vertx.currentContext();
    this.onStream = context == null ? Runnable::run : task -> context.runOnContext(v -> task.run());
    stream.disableAutoRequest();
    stream.setOnCancelHandler(() -> closed.set(true));
    stream.request(window);
  }

  @Override
  public void onNext(StreamHeartbeatsRequest request) {
    if (closed.get()) {
      return;
    }
    inFlight.incrementAndGet();
    try {
      heartbeats
          .accept(botId, HeartbeatMapper.toDomain(request.getHeartbeat()))
          .whenComplete(
              (answer, failure) ->
                  onStream.execute(
                      () -> {
                        if (closed.get()) {
                          return;
                        }
                        if (failure instanceof java.util.concurrent.CompletionException c
                            && c.getCause()
                                instanceof io.botfleet.common.error.BotfleetException b) {
                          fail(b);
                          return;
                        }
                        if (failure != null) {
                          // Not stored: the bot resends it; nothing it sent before is affected.
                          StreamHeartbeatsResponse.Builder refused =
                              StreamHeartbeatsResponse.newBuilder()
                                  .setSequence(request.getHeartbeat().getSequence())
                                  .setAccepted(false);
                          refused
                              .addErrorsBuilder()
                              .setField("heartbeat")
                              .setDescription("could not be stored just now; send it again");
                          stream.onNext(refused.build());
                        } else {
                          stream.onNext(HeartbeatMapper.toProto(answer));
                        }
                        stream.request(1);
                        if (inFlight.decrementAndGet() == 0 && halfClosed) {
                          complete();
                        }
                      }));
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  @Override
  public void onError(Throwable t) {
    closed.set(true);
  }

  @Override
  public void onCompleted() {
    // The bot is done sending: the answers still owed go out first, then the stream ends.
    onStream.execute(
        () -> {
          halfClosed = true;
          if (inFlight.get() == 0) {
            complete();
          }
        });
  }

  private void complete() {
    if (closed.compareAndSet(false, true)) {
      stream.onCompleted();
    }
  }

  private void fail(RuntimeException e) {
    if (closed.compareAndSet(false, true)) {
      var status = GrpcErrors.toStatusException(e);
      Log.debugf("Heartbeat stream of %s closed: %s", botId, status.getStatus());
      stream.onError(status);
    }
  }
}
