package io.botfleet.sdk;

import io.botfleet.fleet.v1.CommandAck;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.StreamCommandsRequest;
import io.botfleet.fleet.v1.StreamCommandsResponse;
import io.grpc.Status;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The command stream to fleet-service: commands down, acknowledgements up. Reopened with backoff
 * when it fails; final acks that could not be sent wait for the next stream (and a command that is
 * delivered again is answered from the journal anyway).
 */
final class CommandStream implements CommandProcessor.AckSink {

  private static final System.Logger LOG = System.getLogger(CommandStream.class.getName());
  private static final int MAX_PENDING_ACKS = 10_000;

  private final String bot;
  private final FleetServiceGrpc.FleetServiceStub stub;
  private final DeadMansSwitch deadMan;
  private final ScheduledExecutorService scheduler;
  private final Backoff backoff;
  private final long stableMillis;
  private final ArrayDeque<CommandAck> pendingAcks = new ArrayDeque<>();
  private Consumer<io.botfleet.fleet.v1.BotCommand> receiver;
  private volatile Attempt current;
  private ScheduledFuture<?> reconnect;
  private boolean closed;
  private volatile long reconnects;

  CommandStream(
      String bot,
      FleetServiceGrpc.FleetServiceStub stub,
      DeadMansSwitch deadMan,
      ScheduledExecutorService scheduler,
      Backoff backoff,
      long stableMillis) {
    this.bot = bot;
    this.stub = stub;
    this.deadMan = deadMan;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.stableMillis = stableMillis;
  }

  /** Where received commands go (set once, before {@link #open()}). */
  void receiver(Consumer<io.botfleet.fleet.v1.BotCommand> receiver) {
    this.receiver = receiver;
  }

  synchronized void open() {
    if (closed || current != null) {
      return;
    }
    reconnect = null;
    Attempt attempt = new Attempt(System.nanoTime());
    current = attempt;
    deadMan.commandStreamOpening();
    stub.withInterceptors(new HeadersProve(attempt)).streamCommands(attempt);
    while (!pendingAcks.isEmpty() && current == attempt && attempt.requests != null) {
      if (!write(attempt, pendingAcks.peekFirst())) {
        break;
      }
      pendingAcks.pollFirst();
    }
  }

  @Override
  public synchronized void send(CommandAck ack, boolean last) {
    if (current != null && current.requests != null && write(current, ack)) {
      return;
    }
    if (last) {
      if (pendingAcks.size() >= MAX_PENDING_ACKS) {
        pendingAcks.pollFirst();
      }
      pendingAcks.addLast(ack);
    }
  }

  /** True while the stream is open. */
  synchronized boolean up() {
    return current != null && current.requests != null;
  }

  long reconnects() {
    return reconnects;
  }

  /** Ends the stream politely (half-close), after the acks already written. */
  synchronized void close() {
    closed = true;
    if (reconnect != null) {
      reconnect.cancel(false);
    }
    if (current != null && current.requests != null) {
      try {
        current.requests.onCompleted();
      } catch (RuntimeException ignored) {
        // already closed
      }
    }
    current = null;
  }

  /** Ends the stream at once, as a crash would. */
  synchronized void abort() {
    closed = true;
    if (reconnect != null) {
      reconnect.cancel(false);
    }
    if (current != null && current.requests != null) {
      current.requests.cancel("bot aborted", null);
    }
    current = null;
  }

  private boolean write(Attempt attempt, CommandAck ack) {
    try {
      attempt.requests.onNext(StreamCommandsRequest.newBuilder().setAck(ack).build());
      return true;
    } catch (RuntimeException e) {
      // The call ended between our check and the write; the ack waits for the next stream.
      return false;
    }
  }

  private synchronized void ended(Attempt attempt, Status status) {
    if (attempt != current) {
      return;
    }
    current = null;
    String reason = "command stream down: " + HeartbeatStream.describe(status);
    deadMan.commandStreamDown(reason);
    if (closed) {
      return;
    }
    if ((System.nanoTime() - attempt.openedAt) / 1_000_000 >= stableMillis) {
      backoff.reset();
    }
    long delay = backoff.nextDelayMillis();
    LOG.log(
        backoff.attempts() == 1 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
        "{0}: {1}; reconnecting in {2} ms",
        bot,
        reason,
        delay);
    reconnects++;
    reconnect = scheduler.schedule(this::open, delay, TimeUnit.MILLISECONDS);
  }

  /**
   * A stream on which fleet-service sent its headers is accepted: it counts as working at once,
   * without waiting for a command or for the confirmation time.
   */
  private final class HeadersProve implements io.grpc.ClientInterceptor {
    private final Attempt attempt;

    HeadersProve(Attempt attempt) {
      this.attempt = attempt;
    }

    @Override
    public <ReqT, RespT> io.grpc.ClientCall<ReqT, RespT> interceptCall(
        io.grpc.MethodDescriptor<ReqT, RespT> method,
        io.grpc.CallOptions options,
        io.grpc.Channel next) {
      return new io.grpc.ForwardingClientCall.SimpleForwardingClientCall<>(
          next.newCall(method, options)) {
        @Override
        public void start(Listener<RespT> listener, io.grpc.Metadata headers) {
          super.start(
              new io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener<>(
                  listener) {
                @Override
                public void onHeaders(io.grpc.Metadata responseHeaders) {
                  if (attempt == current) {
                    deadMan.commandStreamProven();
                  }
                  super.onHeaders(responseHeaders);
                }
              },
              headers);
        }
      };
    }
  }

  /** One opening of the stream. */
  private final class Attempt extends StreamAttempt<StreamCommandsRequest, StreamCommandsResponse> {
    final long openedAt;

    Attempt(long openedAt) {
      super("fleet-service");
      this.openedAt = openedAt;
    }

    @Override
    public void onNext(StreamCommandsResponse response) {
      deadMan.commandStreamProven();
      if (response.hasCommand()) {
        receiver.accept(response.getCommand());
      }
    }

    @Override
    void streamEnded(Status status) {
      ended(this, status);
    }
  }
}
