package io.botfleet.bench.health;

import com.google.protobuf.Timestamp;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.health.v1.Heartbeat;
import io.botfleet.health.v1.StreamHeartbeatsRequest;
import io.botfleet.health.v1.StreamHeartbeatsResponse;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SigningClientInterceptor;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Recorder;

/**
 * One simulated bot: its own TCP connection and heartbeat stream, signed with its own key, as a
 * real bot process would hold. Records the time from each heartbeat sent to its answer.
 */
final class SimulatedBot implements StreamObserver<StreamHeartbeatsResponse> {

  private static final int SLOTS = 256;

  final Credentials credentials;
  private final Stats stats;
  private final long[] sentAt = new long[SLOTS];
  private ManagedChannel channel;
  private StreamObserver<StreamHeartbeatsRequest> requests;
  private Context.CancellableContext context;
  private long sequence;
  volatile boolean open;
  volatile long lastAnswerNanos;

  /** Counters shared by every bot. */
  static final class Stats {
    final Recorder latencyMicros = new Recorder(3_600_000_000L, 3);
    final java.util.concurrent.atomic.LongAdder answers =
        new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder refused =
        new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder streamErrors =
        new java.util.concurrent.atomic.LongAdder();
    final java.util.Map<String, java.util.concurrent.atomic.LongAdder> errorKinds =
        new java.util.concurrent.ConcurrentHashMap<>();
  }

  SimulatedBot(Credentials credentials, Stats stats) {
    this.credentials = credentials;
    this.stats = stats;
  }

  /** Opens the connection (once) and a new stream. */
  synchronized void connect(EventLoopGroup group, int port) {
    if (channel == null) {
      channel =
          NettyChannelBuilder.forAddress("127.0.0.1", port)
              .eventLoopGroup(group)
              .channelType(NioSocketChannel.class)
              .directExecutor()
              .usePlaintext()
              .build();
    }
    context = Context.current().withCancellation();
    Context previous = context.attach();
    try {
      requests =
          FleetHealthServiceGrpc.newStub(channel)
              .withInterceptors(new SigningClientInterceptor(new RequestSigner(() -> credentials)))
              .streamHeartbeats(this);
    } finally {
      context.detach(previous);
    }
    open = true;
  }

  /** Sends the next heartbeat (called by the one sender thread). */
  void send() {
    long seq = ++sequence;
    Instant now = Instant.now();
    sentAt[(int) (seq % SLOTS)] = System.nanoTime();
    requests.onNext(
        StreamHeartbeatsRequest.newBuilder()
            .setHeartbeat(
                Heartbeat.newBuilder()
                    .setSequence(seq)
                    .setHeartbeatTime(
                        Timestamp.newBuilder()
                            .setSeconds(now.getEpochSecond())
                            .setNanos(now.getNano()))
                    .setVersion("2.4.1")
                    .setUptimeSeconds(seq)
                    .setHeartbeatLatencyMs(45)
                    .setPnlUsd("234.50")
                    .setDrawdownPct(1.2)
                    .setTradeCount(47)
                    .setOpenPositions(3)
                    .setOpenOrders(6)
                    .setMemoryMb(512)
                    .setCpuPct(15.3))
            .build());
  }

  /** Drops the stream as a crash or a broken network would (the connection stays). */
  synchronized void cut() {
    open = false;
    if (context != null) {
      context.cancel(null);
    }
  }

  void close() throws InterruptedException {
    cut();
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public void onNext(StreamHeartbeatsResponse answer) {
    long now = System.nanoTime();
    lastAnswerNanos = now;
    long sent = sentAt[(int) (answer.getSequence() % SLOTS)];
    stats.latencyMicros.recordValue(Math.min(3_600_000_000L, Math.max(0, (now - sent) / 1000)));
    stats.answers.increment();
    if (!answer.getAccepted()) {
      stats.refused.increment();
    }
  }

  @Override
  public void onError(Throwable t) {
    if (open) {
      stats.streamErrors.increment();
      String kind =
          io.grpc.Status.fromThrowable(t).getCode()
              + ": "
              + io.grpc.Status.fromThrowable(t).getDescription();
      stats
          .errorKinds
          .computeIfAbsent(
              kind.length() > 100 ? kind.substring(0, 100) : kind,
              k -> new java.util.concurrent.atomic.LongAdder())
          .increment();
    }
    open = false;
  }

  @Override
  public void onCompleted() {
    open = false;
  }
}
