package io.botfleet.fleetctl.config;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * fleetctl's settings ({@code config.properties} in its home):
 *
 * <pre>
 * endpoint=https://botfleet.example.com:443      one address for every service (a gateway)
 * endpoint.fleet=http://127.0.0.1:8080           or one per service (wins over endpoint)
 * timeout=10s                                    deadline of every call
 * organization=acme                              default organization of new identities
 * </pre>
 *
 * Without any endpoint, each service is where {@code ./fleet up} runs it (127.0.0.1:8080-8085).
 */
public final class ClientConfig {

  /** The setting of one address for all services. */
  public static final String ENDPOINT = "endpoint";

  /** The deadline setting. */
  public static final String TIMEOUT = "timeout";

  /** The default organization setting. */
  public static final String ORGANIZATION = "organization";

  private final Map<String, String> values;

  private ClientConfig(Map<String, String> values) {
    this.values = new TreeMap<>(values);
  }

  /** Nothing set: local endpoints, default timeout. */
  public static ClientConfig empty() {
    return new ClientConfig(Map.of());
  }

  /** Reads the file, or nothing if there is none. */
  public static ClientConfig load(Path file) throws IOException {
    if (!Files.exists(file)) {
      return empty();
    }
    Properties properties = new Properties();
    properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
    Map<String, String> values = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k).trim()));
    return new ClientConfig(values);
  }

  /** Writes the file, sorted, one setting per line. */
  public void save(Path file) throws IOException {
    StringBuilder text = new StringBuilder("# fleetctl settings: fleetctl config --help\n");
    values.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** Every key fleetctl understands. */
  public static Set<String> knownKeys() {
    Set<String> keys = new java.util.TreeSet<>(Set.of(ENDPOINT, TIMEOUT, ORGANIZATION));
    for (Service service : Service.values()) {
      keys.add(ENDPOINT + "." + service.key());
    }
    return keys;
  }

  /**
   * Sets a value after checking it.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public ClientConfig with(String key, String value) {
    if (!knownKeys().contains(key)) {
      throw new IllegalArgumentException(
          "unknown setting " + key + "; known: " + String.join(", ", knownKeys()));
    }
    if (key.startsWith(ENDPOINT)) {
      checkEndpoint(value, key);
    } else if (key.equals(TIMEOUT)) {
      Durations.parse(value, key);
    }
    Map<String, String> next = new TreeMap<>(values);
    next.put(key, value.trim());
    return new ClientConfig(next);
  }

  /** Removes a value. */
  public ClientConfig without(String key) {
    Map<String, String> next = new TreeMap<>(values);
    next.remove(key);
    return new ClientConfig(next);
  }

  /** The settings as stored. */
  public Map<String, String> values() {
    return Map.copyOf(values);
  }

  /** A stored value. */
  public String get(String key) {
    return values.get(key);
  }

  /** Where a service is: its own endpoint, else the shared one, else the local default. */
  public String endpoint(Service service) {
    String own = values.get(ENDPOINT + "." + service.key());
    if (own != null) {
      return own;
    }
    return values.getOrDefault(ENDPOINT, service.localEndpoint());
  }

  /** Which setting decided a service's endpoint (for {@code config show}). */
  public String endpointSource(Service service) {
    if (values.containsKey(ENDPOINT + "." + service.key())) {
      return ENDPOINT + "." + service.key();
    }
    return values.containsKey(ENDPOINT) ? ENDPOINT : "default (./fleet up)";
  }

  /** The deadline of a call. */
  public java.time.Duration timeout() {
    String value = values.get(TIMEOUT);
    return value == null ? java.time.Duration.ofSeconds(10) : Durations.parse(value, TIMEOUT);
  }

  /** Checks an endpoint: {@code http://host:port} (plaintext) or {@code https://host:port}. */
  public static URI checkEndpoint(String value, String what) {
    URI uri;
    try {
      uri = URI.create(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": not a URI: " + value);
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          what + ": want http://host:port (plaintext) or https://host:port (TLS), got " + value);
    }
    return uri;
  }
}
