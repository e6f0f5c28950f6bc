package io.botfleet.billing.fakes;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the services billing calls as small gRPC servers on free loopback ports (fleet and health
 * with their contracts as billing uses them, and every service's AuditService) and points billing's
 * clients at them.
 */
public class FakeServicesResource implements QuarkusTestResourceLifecycleManager {

  private final List<Server> servers = new ArrayList<>();

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>();
    for (String service : List.of("fleet", "health", "identity", "permission", "deploy")) {
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(
                  ServerInterceptors.intercept(
                      new FakeFleet.Audit(service), CallerHeaders.interceptor()));
      if (service.equals("fleet")) {
        builder.addService(
            ServerInterceptors.intercept(new FakeFleet.Fleet(), CallerHeaders.interceptor()));
      }
      if (service.equals("health")) {
        builder.addService(
            ServerInterceptors.intercept(new FakeFleet.Health(), CallerHeaders.interceptor()));
      }
      try {
        Server server = builder.build().start();
        servers.add(server);
        config.put("quarkus.grpc.clients." + service + ".host", "127.0.0.1");
        config.put("quarkus.grpc.clients." + service + ".port", Integer.toString(server.getPort()));
        // In test mode Quarkus points clients at the application's own test port unless told.
        config.put(
            "quarkus.grpc.clients." + service + ".test-port", Integer.toString(server.getPort()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the fake " + service + "-service", e);
      }
    }
    return config;
  }

  @Override
  public void stop() {
    servers.forEach(Server::shutdownNow);
  }
}
