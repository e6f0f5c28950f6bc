package io.botfleet.fleet.fakes;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@link FakeServices} for fleet-service's Quarkus tests and points the identity, permission,
 * health, deploy and billing clients at them. Tests reach them through {@link #fakes()}.
 */
public class FakeServicesTestResource implements QuarkusTestResourceLifecycleManager {

  private static volatile FakeServices fakes;

  /** The running fakes. */
  public static FakeServices fakes() {
    if (fakes == null) {
      throw new IllegalStateException("FakeServicesTestResource is not started");
    }
    return fakes;
  }

  @Override
  public Map<String, String> start() {
    fakes = FakeServices.start();
    String port = String.valueOf(fakes.port());
    Map<String, String> config = new HashMap<>();
    for (String client : new String[] {"identity", "permission", "health", "deploy", "billing"}) {
      config.put("quarkus.grpc.clients." + client + ".host", "127.0.0.1");
      config.put("quarkus.grpc.clients." + client + ".port", port);
      // In test mode Quarkus points clients at the application's own port unless told otherwise.
      config.put("quarkus.grpc.clients." + client + ".test-port", port);
    }
    return config;
  }

  @Override
  public void stop() {
    if (fakes != null) {
      fakes.close();
    }
  }
}
