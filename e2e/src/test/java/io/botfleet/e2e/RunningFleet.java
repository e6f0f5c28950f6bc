package io.botfleet.e2e;

import io.botfleet.devkit.TestDatabase;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.KeyFile;
import io.botfleet.signing.SigningKey;
import io.botfleet.sim.OperatorKey;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The six services as real processes (their packaged {@code quarkus-run.jar}) on free loopback
 * ports, with a fresh database on a real PostgreSQL and their own service keys, started once per
 * test JVM. Logs go to {@code e2e/target/e2e-logs/}.
 */
public final class RunningFleet {

  /** The services, identity-service first (the others load their key caches from it). */
  public static final List<String> SERVICES =
      List.of("identity", "permission", "fleet", "health", "deploy", "billing");

  private static RunningFleet instance;

  private final Path root;
  private final Path work;
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, Credentials> serviceKeys = new LinkedHashMap<>();
  private final Map<String, Process> processes = new ConcurrentHashMap<>();
  private final TestDatabase.Connection database;
  private final String servicePublicKeys;
  private OperatorKey admin;

  private RunningFleet() throws IOException {
    root = Path.of(System.getProperty("botfleet.root", "..")).toAbsolutePath().normalize();
    work = root.resolve("e2e/target/e2e-run");
    Files.createDirectories(work.resolve("keys"));
    // Each run has a fresh database: an administrator of an earlier run is unknown to it.
    Files.deleteIfExists(work.resolve("admin.key"));
    Files.createDirectories(root.resolve("e2e/target/e2e-logs"));
    database = TestDatabase.create();
    List<String> publicKeys = new ArrayList<>();
    for (String service : SERVICES) {
      ports.put(service, freePort());
      Credentials key = new Credentials("svc-" + service, 1, SigningKey.generate());
      KeyFile.write(work.resolve("keys/" + service + ".key"), key);
      serviceKeys.put(service, key);
      publicKeys.add(service + ":" + key.key().publicKey().base64());
    }
    servicePublicKeys = String.join(",", publicKeys);
  }

  /** The running fleet, started on first use and stopped when the JVM exits. */
  public static synchronized RunningFleet get() {
    if (instance == null) {
      try {
        RunningFleet fleet = new RunningFleet();
        Runtime.getRuntime().addShutdownHook(new Thread(fleet::stopAll));
        fleet.start("identity");
        fleet.awaitReady("identity");
        for (String service : SERVICES.subList(1, SERVICES.size())) {
          fleet.start(service);
        }
        for (String service : SERVICES) {
          fleet.awaitReady(service);
        }
        instance = fleet;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  /** The repository's root directory (where ./fleetctl and the modules are). */
  public Path root() {
    return root;
  }

  /** The loopback port of a service (gRPC and HTTP). */
  public int port(String service) {
    return ports.get(service);
  }

  /** A plain-text channel to a service; the caller closes it. */
  public ManagedChannel channel(String service) {
    return ManagedChannelBuilder.forAddress("127.0.0.1", port(service)).usePlaintext().build();
  }

  /**
   * Where identity-service writes the one-time bootstrap token of this fresh installation (deleted
   * once the first administrator exists), inside e2e/target rather than the working directory.
   */
  public Path bootstrapTokenFile() {
    return work.resolve("bootstrap-token");
  }

  /** A service's own credentials (to act as that service in a test). */
  public Credentials serviceKey(String service) {
    return serviceKeys.get(service);
  }

  /** {@code http://127.0.0.1:PORT} of a service, as the bot SDK's endpoints take it. */
  public String url(String service) {
    return "http://127.0.0.1:" + port(service);
  }

  /**
   * The first administrator of this installation, made once per JVM with the bootstrap token (its
   * key in {@code e2e/target/e2e-run/admin.key}); tests that need an admin share this one, since
   * the token works once.
   */
  public synchronized OperatorKey admin() {
    if (admin == null) {
      ManagedChannel identity = channel("identity");
      try {
        admin =
            OperatorKey.adminFrom(
                work.resolve("admin.key"), bootstrapTokenFile(), identity, "e2e-admin", "e2e");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        identity.shutdownNow();
      }
    }
    return admin;
  }

  /** Stops a service hard (SIGKILL), as a crash would. */
  public void kill(String service) throws InterruptedException {
    Process process = processes.remove(service);
    if (process != null) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Starts a stopped service again and waits until it is ready. */
  public void restart(String service) throws IOException {
    start(service);
    awaitReady(service);
  }

  /**
   * Stops a service hard and starts it again with {@code settings} added to its environment (for a
   * test that needs a setting for a while: restart it with none to go back to the defaults).
   */
  public void restart(String service, Map<String, String> settings)
      throws IOException, InterruptedException {
    kill(service);
    start(service, settings);
    awaitReady(service);
  }

  private void start(String service) throws IOException {
    start(service, Map.of());
  }

  private void start(String service, Map<String, String> settings) throws IOException {
    Path jar = root.resolve(service + "-service/target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          jar + " is missing: package the services first (./mvnw package)");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port(service)));
    env.put("BOTFLEET_DB_URL", database.jdbcUrl());
    env.put("BOTFLEET_DB_USER", database.user());
    env.put("BOTFLEET_DB_PASSWORD", database.password());
    env.put("BOTFLEET_SERVICE_KEY_FILE", work.resolve("keys/" + service + ".key").toString());
    env.put("BOTFLEET_IDENTITY_SERVICE_PUBLIC_KEYS", servicePublicKeys);
    env.put("BOTFLEET_IDENTITY_BOOTSTRAP_TOKEN_FILE", bootstrapTokenFile().toString());
    env.put("BOTFLEET_IDENTITY_HOST", "127.0.0.1");
    env.put("BOTFLEET_IDENTITY_PORT", Integer.toString(port("identity")));
    for (String callee : SERVICES) {
      String prefix = "QUARKUS_GRPC_CLIENTS_" + callee.toUpperCase(Locale.ROOT);
      env.put(prefix + "_HOST", "127.0.0.1");
      env.put(prefix + "_PORT", Integer.toString(port(callee)));
    }
    // Scheduled key rotation looks every 5 s instead of hourly (only bots due are rotated, and no
    // bot is due for 30 days but KeyRotationIT's), so its lease outlives a killed replica briefly.
    env.put("BOTFLEET_FLEET_KEY_ROTATION_INTERVAL", "5s");
    env.putAll(settings);
    Path log = root.resolve("e2e/target/e2e-logs/" + service + ".log");
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    processes.put(service, builder.start());
  }

  private void awaitReady(String service) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(service) + "/q/health/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (Instant.now().isBefore(deadline)) {
      Process process = processes.get(service);
      if (process == null || !process.isAlive()) {
        throw new IllegalStateException(
            service + "-service exited; see e2e/target/e2e-logs/" + service + ".log");
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException(
        service + "-service not ready in 120 s; see e2e/target/e2e-logs/" + service + ".log");
  }

  private void stopAll() {
    processes.values().forEach(Process::destroy);
    for (Process process : processes.values()) {
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
