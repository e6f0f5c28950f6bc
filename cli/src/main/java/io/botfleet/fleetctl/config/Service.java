package io.botfleet.fleetctl.config;

import java.util.Locale;

/** The six botfleet services, with the ports of a local {@code ./fleet up}. */
public enum Service {
  FLEET(8080),
  IDENTITY(8081),
  PERMISSION(8082),
  HEALTH(8083),
  DEPLOY(8084),
  BILLING(8085);

  private final int localPort;

  Service(int localPort) {
    this.localPort = localPort;
  }

  /** The short name: "fleet", "identity", … (config keys, the gateway's routing header). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Where {@code ./fleet up} serves it. */
  public String localEndpoint() {
    return "http://127.0.0.1:" + localPort;
  }

  /** The service of a short name. */
  public static Service of(String key) {
    for (Service service : values()) {
      if (service.key().equals(key.toLowerCase(Locale.ROOT))) {
        return service;
      }
    }
    throw new IllegalArgumentException(
        "unknown service " + key + " (fleet, identity, permission, health, deploy, billing)");
  }
}
