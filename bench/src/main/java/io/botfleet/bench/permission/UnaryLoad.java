package io.botfleet.bench.permission;

import io.botfleet.signing.RawBytesMarshaller;
import io.botfleet.signing.SignatureHeaders;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load of unary calls: a fixed number of calls in flight, each lane sending its next
 * call as soon as the previous one answers, until the time is up or the requests run out. Calls are
 * raw bytes with their signature headers, so a pre-signed request costs the client nothing but the
 * send; a request signed on the fly costs what a bot's signing costs.
 */
final class UnaryLoad {

  /** What one phase measured. */
  record Result(
      String name,
      long calls,
      long checks,
      long errors,
      String firstError,
      double seconds,
      Histogram latencyMicros,
      Instant start,
      Instant end) {

    double callsPerSecond() {
      return calls / seconds;
    }

    double checksPerSecond() {
      return checks / seconds;
    }
  }

  /** A call to send: its body and, for a signed call, its headers (null for an open RPC). */
  record Call(byte[] body, SignatureHeaders headers) {}

  private UnaryLoad() {}

  static MethodDescriptor<byte[], byte[]> rawMethod(String fullMethodName) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(fullMethodName)
        .setRequestMarshaller(RawBytesMarshaller.INSTANCE)
        .setResponseMarshaller(RawBytesMarshaller.INSTANCE)
        .build();
  }

  /**
   * Runs a phase.
   *
   * @param calls the next call, or null when there are no more
   * @param checksPerCall how many checks one call carries (0 for the empty call)
   * @param onResponse sees every response body (to count outcomes)
   */
  static Result run(
      String name,
      List<ManagedChannel> channels,
      MethodDescriptor<byte[], byte[]> method,
      Supplier<Call> calls,
      int checksPerCall,
      int inFlight,
      Duration duration,
      Consumer<byte[]> onResponse)
      throws InterruptedException {
    AtomicLong completed = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    String[] firstError = new String[1];
    Recorder latency = new Recorder(1, 60_000_000L, 3);
    CountDownLatch lanesDone = new CountDownLatch(inFlight);
    long startNanos = System.nanoTime();
    long deadline = startNanos + duration.toNanos();
    AtomicLong lastCompletion = new AtomicLong(startNanos);
    Instant start = Instant.now();
    for (int lane = 0; lane < inFlight; lane++) {
      ManagedChannel channel = channels.get(lane % channels.size());
      new Lane(
              channel,
              method,
              calls,
              deadline,
              completed,
              errors,
              firstError,
              latency,
              lastCompletion,
              lanesDone,
              onResponse)
          .next();
    }
    if (!lanesDone.await(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + ": calls did not finish");
    }
    double seconds = (lastCompletion.get() - startNanos) / 1e9;
    return new Result(
        name,
        completed.get(),
        completed.get() * checksPerCall,
        errors.get(),
        firstError[0],
        seconds,
        latency.getIntervalHistogram(),
        start,
        start.plusNanos(lastCompletion.get() - startNanos));
  }

  /** One call in flight at a time. */
  private static final class Lane {
    private final ManagedChannel channel;
    private final MethodDescriptor<byte[], byte[]> method;
    private final Supplier<Call> calls;
    private final long deadline;
    private final AtomicLong completed;
    private final AtomicLong errors;
    private final String[] firstError;
    private final Recorder latency;
    private final AtomicLong lastCompletion;
    private final CountDownLatch done;
    private final Consumer<byte[]> onResponse;

    Lane(
        ManagedChannel channel,
        MethodDescriptor<byte[], byte[]> method,
        Supplier<Call> calls,
        long deadline,
        AtomicLong completed,
        AtomicLong errors,
        String[] firstError,
        Recorder latency,
        AtomicLong lastCompletion,
        CountDownLatch done,
        Consumer<byte[]> onResponse) {
      this.channel = channel;
      this.method = method;
      this.calls = calls;
      this.deadline = deadline;
      this.completed = completed;
      this.errors = errors;
      this.firstError = firstError;
      this.latency = latency;
      this.lastCompletion = lastCompletion;
      this.done = done;
      this.onResponse = onResponse;
    }

    void next() {
      if (System.nanoTime() >= deadline) {
        done.countDown();
        return;
      }
      Call call = calls.get();
      if (call == null) {
        done.countDown();
        return;
      }
      Metadata headers = new Metadata();
      if (call.headers() != null) {
        call.headers().writeTo(headers);
      }
      long sent = System.nanoTime();
      ClientCall<byte[], byte[]> clientCall = channel.newCall(method, CallOptions.DEFAULT);
      clientCall.start(
          new ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] message) {
              onResponse.accept(message);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
              long now = System.nanoTime();
              latency.recordValue(Math.max(1, (now - sent) / 1000));
              if (status.isOk()) {
                completed.incrementAndGet();
              } else if (errors.incrementAndGet() == 1) {
                firstError[0] = status.toString();
              }
              lastCompletion.accumulateAndGet(now, Math::max);
              next();
            }
          },
          headers);
      clientCall.request(1);
      clientCall.sendMessage(call.body());
      clientCall.halfClose();
    }
  }
}
