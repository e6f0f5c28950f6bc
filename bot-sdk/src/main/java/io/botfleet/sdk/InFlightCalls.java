package io.botfleet.sdk;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Counts the calls under way per key generation, so that a rotation confirms the switch (which
 * retires the old key everywhere) only once no call signed with the old key is still on its way to
 * a service: no call is ever refused because of a rotation. The two long-lived streams are left
 * out: they are verified once when they open and stay valid.
 */
final class InFlightCalls implements ClientInterceptor {

  private final IntSupplier generation;
  private final Set<String> longLived;
  private final ConcurrentHashMap<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final Object quiet = new Object();

  InFlightCalls(IntSupplier generation, Set<String> longLivedMethods) {
    this.generation = generation;
    this.longLived = Set.copyOf(longLivedMethods);
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    ClientCall<ReqT, RespT> call = next.newCall(method, callOptions);
    if (longLived.contains(method.getFullMethodName())) {
      return call;
    }
    return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
      @Override
      public void start(Listener<RespT> listener, Metadata headers) {
        int started = generation.getAsInt();
        counts.computeIfAbsent(started, g -> new AtomicInteger()).incrementAndGet();
        super.start(
            new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onClose(Status status, Metadata trailers) {
                try {
                  super.onClose(status, trailers);
                } finally {
                  counts.get(started).decrementAndGet();
                  synchronized (quiet) {
                    quiet.notifyAll();
                  }
                }
              }
            },
            headers);
      }
    };
  }

  /** Calls under way that started before generation {@code below}. */
  int before(int below) {
    int total = 0;
    for (var entry : counts.entrySet()) {
      if (entry.getKey() < below) {
        total += entry.getValue().get();
      }
    }
    return total;
  }

  /**
   * Waits until every call started before generation {@code below} has ended, at most {@code
   * timeout}; true if they all ended.
   */
  boolean awaitBefore(int below, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (quiet) {
      while (before(below) > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        quiet.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }
}
