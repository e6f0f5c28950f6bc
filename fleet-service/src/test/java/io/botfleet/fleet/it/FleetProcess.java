package io.botfleet.fleet.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged fleet-service (target/quarkus-app/quarkus-run.jar) as a real process, as it runs in
 * production: its own JVM, the prod profile, the database and the other services given by
 * environment variables.
 */
public final class FleetProcess implements AutoCloseable {

  private final Map<String, String> environment;
  private final int port;
  private final Path log;
  private Process process;

  /**
   * @param port its HTTP and gRPC port
   * @param log where its output goes
   * @param environment its environment (database, callees, key)
   */
  public FleetProcess(int port, Path log, Map<String, String> environment) {
    this.port = port;
    this.log = log;
    this.environment = environment;
  }

  /** The packaged application. */
  public static Path jar() {
    Path jar =
        Path.of(System.getProperty("fleet.jar", "target/quarkus-app/quarkus-run.jar"))
            .toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: package fleet-service first");
    }
    return jar;
  }

  /** A free loopback port. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts it and waits until it is ready (database migrated, key cache loaded, warmed up). */
  public FleetProcess start(Duration timeout, String... jvmOptions) {
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-jar", jar().toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
    builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
    Instant deadline = Instant.now().plus(timeout);
    while (!ready()) {
      if (!process.isAlive()) {
        throw new IllegalStateException("fleet-service exited while starting; see " + log);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "fleet-service not ready after " + timeout + "; see " + log);
      }
      sleep(200);
    }
    return this;
  }

  /** Its port. */
  public int port() {
    return port;
  }

  /** Kills it at once, as a crash would (SIGKILL: no clean shutdown). */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor();
    }
  }

  /** Stops it cleanly (SIGTERM). */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      waitFor();
    }
  }

  private void waitFor() {
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean ready() {
    try {
      HttpURLConnection connection =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + "/q/health/ready").toURL().openConnection();
      connection.setConnectTimeout(500);
      connection.setReadTimeout(2000);
      return connection.getResponseCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
