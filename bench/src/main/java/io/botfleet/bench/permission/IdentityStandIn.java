package io.botfleet.bench.permission;

import io.botfleet.identity.v1.AgentKey;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.KeyEventType;
import io.botfleet.identity.v1.WatchKeysRequest;
import io.botfleet.identity.v1.WatchKeysResponse;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * identity-service as far as a key cache needs it: WatchKeys answers a snapshot of the bench's keys
 * (10,000 bots and svc-fleet), then keeps the stream open with no changes. The service under test
 * follows it exactly as it follows the real identity-service (its key feed is on), so every
 * benchmark call goes through the real verification path with keys learnt the real way.
 */
final class IdentityStandIn implements AutoCloseable {

  private static final long REVISION = 1;

  private final Server server;

  private IdentityStandIn(Server server) {
    this.server = server;
  }

  /** Serves {@code keys} on a free loopback port. */
  static IdentityStandIn start(List<AgentKey> keys) {
    IdentityServiceGrpc.IdentityServiceImplBase service =
        new IdentityServiceGrpc.IdentityServiceImplBase() {
          @Override
          public void watchKeys(
              WatchKeysRequest request, StreamObserver<WatchKeysResponse> response) {
            if (request.getAfterRevision() != REVISION) {
              for (AgentKey key : keys) {
                response.onNext(
                    WatchKeysResponse.newBuilder()
                        .setRevision(REVISION)
                        .setType(KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_KEY)
                        .setKey(key)
                        .build());
              }
              response.onNext(
                  WatchKeysResponse.newBuilder()
                      .setRevision(REVISION)
                      .setType(KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_END)
                      .build());
            }
            // Left open: no key changes during a benchmark.
          }
        };
    try {
      Server server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(service)
              .build()
              .start();
      return new IdentityStandIn(server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the identity stand-in", e);
    }
  }

  /** Its port. */
  int port() {
    return server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
