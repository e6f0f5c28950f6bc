package io.botfleet.bench.permission;

import io.botfleet.permission.v1.CheckPermissionRequest;
import io.botfleet.permission.v1.PermissionServiceGrpc;
import io.botfleet.permission.v1.StreamPermissionChecksRequest;
import io.botfleet.permission.v1.StreamPermissionChecksResponse;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SigningClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load of checks over StreamPermissionChecks: {@code streams} bots each open their
 * own check stream (signed once, at the open, as the SDK does), keep {@code window} checks in
 * flight on it and send the next as each answer arrives, until the time is up. The same check mix
 * as the unary phases, and as many checks in flight as the unary lanes when streams × window equals
 * them.
 */
final class StreamLoad {

  private StreamLoad() {}

  static UnaryLoad.Result run(
      String name,
      List<ManagedChannel> channels,
      BenchFleet fleet,
      int streams,
      int window,
      Duration duration,
      Consumer<StreamPermissionChecksResponse> onResponse)
      throws InterruptedException {
    Shared shared = new Shared(streams, System.nanoTime() + duration.toNanos(), onResponse);
    long startNanos = System.nanoTime();
    shared.lastCompletion.set(startNanos);
    Instant start = Instant.now();
    List<BotStream> open = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      BenchFleet.Bot bot = fleet.bots.get((s * 7919 + 1) % fleet.bots.size());
      open.add(new BotStream(shared, bot, channels.get(s % channels.size()), window));
    }
    open.forEach(BotStream::startWindow);
    if (!shared.closed.await(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + ": streams did not finish");
    }
    double seconds = (shared.lastCompletion.get() - startNanos) / 1e9;
    long checks = shared.completed.get();
    return new UnaryLoad.Result(
        name,
        checks,
        checks,
        shared.errors.get(),
        shared.firstError[0],
        seconds,
        shared.latency.getIntervalHistogram(),
        start,
        start.plusNanos(shared.lastCompletion.get() - startNanos));
  }

  /** What the streams of one phase share. */
  private static final class Shared {
    final AtomicLong completed = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final String[] firstError = new String[1];
    final Recorder latency = new Recorder(1, 60_000_000L, 3);
    final AtomicLong lastCompletion = new AtomicLong();
    final CountDownLatch closed;
    final long deadline;
    final Consumer<StreamPermissionChecksResponse> onResponse;

    Shared(int streams, long deadline, Consumer<StreamPermissionChecksResponse> onResponse) {
      this.closed = new CountDownLatch(streams);
      this.deadline = deadline;
      this.onResponse = onResponse;
    }
  }

  /** One bot's check stream. */
  private static final class BotStream implements StreamObserver<StreamPermissionChecksResponse> {
    private final Shared shared;
    private final List<StreamPermissionChecksRequest> checks = new ArrayList<>();
    private final long[] sentAt;
    private final StreamObserver<StreamPermissionChecksRequest> up;
    private long sent;
    private long answered;
    private boolean done;

    BotStream(Shared shared, BenchFleet.Bot bot, ManagedChannel channel, int window) {
      this.shared = shared;
      this.sentAt = new long[window];
      for (byte[] body : bot.checks()) {
        try {
          CheckPermissionRequest check = CheckPermissionRequest.parseFrom(body);
          checks.add(
              StreamPermissionChecksRequest.newBuilder()
                  .setAction(check.getAction())
                  .setContext(check.getContext())
                  .build());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          throw new IllegalStateException(e);
        }
      }
      this.up =
          PermissionServiceGrpc.newStub(channel)
              .withInterceptors(new SigningClientInterceptor(new RequestSigner(bot::credentials)))
              .streamPermissionChecks(this);
    }

    synchronized void startWindow() {
      for (int i = 0; i < sentAt.length; i++) {
        send();
      }
    }

    private void send() {
      long id = sent++;
      sentAt[(int) (id % sentAt.length)] = System.nanoTime();
      up.onNext(checks.get((int) (id % checks.size())).toBuilder().setCheckId(id).build());
    }

    @Override
    public void onNext(StreamPermissionChecksResponse answer) {
      long now = System.nanoTime();
      shared.onResponse.accept(answer);
      synchronized (this) {
        answered++;
        shared.latency.recordValue(
            Math.max(1, (now - sentAt[(int) (answer.getCheckId() % sentAt.length)]) / 1000));
        shared.completed.incrementAndGet();
        shared.lastCompletion.accumulateAndGet(now, Math::max);
        if (now < shared.deadline) {
          send();
        } else if (answered == sent && !done) {
          done = true;
          up.onCompleted();
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      if (shared.errors.incrementAndGet() == 1) {
        shared.firstError[0] = t.toString();
      }
      shared.closed.countDown();
    }

    @Override
    public void onCompleted() {
      shared.closed.countDown();
    }
  }
}
