package io.botfleet.deploy.sim;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs fake fleet-service and health-service gRPC servers over a {@link SimulatedFleet} on a free
 * loopback port, and points deploy-service's clients at them.
 */
public class SimulatedFleetResource implements QuarkusTestResourceLifecycleManager {

  private static volatile SimulatedFleet fleet;
  private static volatile int port;
  private Server server;

  /** The running simulation. */
  public static SimulatedFleet fleet() {
    if (fleet == null) {
      throw new IllegalStateException("SimulatedFleetResource is not started");
    }
    return fleet;
  }

  /** The port of the fake services. */
  public static int port() {
    return port;
  }

  @Override
  public Map<String, String> start() {
    fleet = new SimulatedFleet();
    try {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(new FakeFleetService(fleet))
              .addService(new FakeHealthService(fleet))
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the simulated fleet", e);
    }
    port = server.getPort();
    // In test mode Quarkus points clients at the application itself unless test-port is set.
    String p = Integer.toString(port);
    return Map.of(
        "quarkus.grpc.clients.fleet.host", "127.0.0.1",
        "quarkus.grpc.clients.fleet.port", p,
        "quarkus.grpc.clients.fleet.test-port", p,
        "quarkus.grpc.clients.health.host", "127.0.0.1",
        "quarkus.grpc.clients.health.port", p,
        "quarkus.grpc.clients.health.test-port", p);
  }

  @Override
  public void stop() {
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (fleet != null) {
      fleet.close();
    }
  }
}
