package io.botfleet.fleet.client;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** What all three clients share. */
final class Channels {

  private Channels() {}

  /**
   * Calls grpc.health.v1 Check (needs no signature), which opens the connection and warms the call
   * path. A callee that is down is logged, not an error.
   */
  static void ping(Channel channel, Duration deadline) {
    try {
      HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      Log.debugf("Warm-up ping of %s failed: %s", channel.authority(), e.getStatus());
    }
  }
}
