package io.botfleet.devkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Runs a {@link GreenHelixStandIn} for a service's Quarkus tests and points the service at it with
 * GreenHelix enabled and short retry delays. Tests reach the stand-in through {@link #standIn()}.
 */
public class GreenHelixTestResource implements QuarkusTestResourceLifecycleManager {

  /** The API key the stand-in accepts. */
  public static final String API_KEY = "test-greenhelix-key";

  private static volatile GreenHelixStandIn standIn;

  /** The running stand-in. */
  public static GreenHelixStandIn standIn() {
    if (standIn == null) {
      throw new IllegalStateException("GreenHelixTestResource is not started");
    }
    return standIn;
  }

  @Override
  public Map<String, String> start() {
    standIn = GreenHelixStandIn.start(API_KEY);
    return Map.of(
        "botfleet.greenhelix.enabled", "true",
        "botfleet.greenhelix.url", standIn.url().toString(),
        "botfleet.greenhelix.api-key", API_KEY,
        "botfleet.greenhelix.relay-interval", "100ms",
        "botfleet.greenhelix.initial-backoff", "50ms",
        "botfleet.greenhelix.max-backoff", "200ms");
  }

  @Override
  public void stop() {
    if (standIn != null) {
      standIn.close();
    }
  }
}
