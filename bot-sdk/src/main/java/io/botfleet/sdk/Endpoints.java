package io.botfleet.sdk;

import java.net.URI;
import java.util.Objects;

/**
 * Where the control plane's services listen, as {@code http://host:port} (plaintext, for a local
 * fleet) or {@code https://host:port} (TLS). A bot talks to five of them: fleet-service (commands),
 * identity-service (enrollment, key rotation), permission-service (permission checks),
 * health-service (heartbeats) and billing-service (fills). They are listed in that order, the order
 * of their ports on a local fleet.
 *
 * @param fleet fleet-service
 * @param identity identity-service
 * @param permission permission-service
 * @param health health-service
 * @param billing billing-service
 */
public record Endpoints(URI fleet, URI identity, URI permission, URI health, URI billing) {

  /** Checks that every endpoint is an http or https URI with a host. */
  public Endpoints {
    check(fleet, "fleet");
    check(identity, "identity");
    check(permission, "permission");
    check(health, "health");
    check(billing, "billing");
  }

  /**
   * The five endpoints from strings such as {@code https://fleet.example.com:443}.
   *
   * @throws IllegalArgumentException naming the endpoint that is not a valid http(s) URI
   */
  public static Endpoints of(
      String fleet, String identity, String permission, String health, String billing) {
    return new Endpoints(
        parse(fleet, "fleet"),
        parse(identity, "identity"),
        parse(permission, "permission"),
        parse(health, "health"),
        parse(billing, "billing"));
  }

  /**
   * The services of {@code ./fleet up} on this machine: fleet 8080, identity 8081, permission 8082,
   * health 8083, billing 8085.
   */
  public static Endpoints localhost() {
    return of(
        "http://127.0.0.1:8080",
        "http://127.0.0.1:8081",
        "http://127.0.0.1:8082",
        "http://127.0.0.1:8083",
        "http://127.0.0.1:8085");
  }

  /** gRPC's target string of an endpoint ({@code host:port}). */
  static String target(URI endpoint) {
    int port = endpoint.getPort();
    if (port < 0) {
      port = isTls(endpoint) ? 443 : 80;
    }
    String host = endpoint.getHost();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** True for https. */
  static boolean isTls(URI endpoint) {
    return "https".equalsIgnoreCase(endpoint.getScheme());
  }

  private static URI parse(String value, String name) {
    Objects.requireNonNull(value, name + " endpoint");
    try {
      return URI.create(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          name + " endpoint is not a URI (want http://host:port or https://host:port): " + value);
    }
  }

  private static void check(URI endpoint, String name) {
    Objects.requireNonNull(endpoint, name + " endpoint");
    String scheme = endpoint.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || endpoint.getHost() == null) {
      throw new IllegalArgumentException(
          name
              + " endpoint must be http://host:port (plaintext) or https://host:port (TLS), got "
              + endpoint);
    }
  }
}
