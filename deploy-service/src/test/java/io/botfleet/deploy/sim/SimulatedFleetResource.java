package io.botfleet.deploy.sim;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Runs a {@link SimulatedFleetServer} for Quarkus tests and points deploy-service's clients at it.
 */
public class SimulatedFleetResource implements QuarkusTestResourceLifecycleManager {

  private static volatile SimulatedFleetServer server;

  /** The running simulation. */
  public static SimulatedFleet fleet() {
    if (server == null) {
      throw new IllegalStateException("SimulatedFleetResource is not started");
    }
    return server.fleet();
  }

  @Override
  public Map<String, String> start() {
    server = SimulatedFleetServer.start();
    // In test mode Quarkus points clients at the application itself unless test-port is set.
    String port = Integer.toString(server.port());
    return Map.of(
        "quarkus.grpc.clients.fleet.host", "127.0.0.1",
        "quarkus.grpc.clients.fleet.port", port,
        "quarkus.grpc.clients.fleet.test-port", port,
        "quarkus.grpc.clients.health.host", "127.0.0.1",
        "quarkus.grpc.clients.health.port", port,
        "quarkus.grpc.clients.health.test-port", port);
  }

  @Override
  public void stop() {
    if (server != null) {
      server.close();
    }
  }
}
