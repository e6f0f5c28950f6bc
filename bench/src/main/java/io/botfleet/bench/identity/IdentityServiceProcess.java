package io.botfleet.bench.identity;

import io.botfleet.devkit.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real identity-service for a benchmark: its packaged jar as a child process on a free port in
 * 19000-19999, with its own embedded PostgreSQL database (devkit's TestDatabase), stopped by {@link
 * #close()}.
 */
final class IdentityServiceProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private IdentityServiceProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the jar and waits until it is ready.
   *
   * @param jar identity-service/target/quarkus-app/quarkus-run.jar
   * @param servicePublicKeys the {@code name:base64,...} list it makes SERVICE identities of
   */
  static IdentityServiceProcess start(Path jar, String servicePublicKeys, List<String> jvmOptions)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: ./mvnw -B -q -pl identity-service -am package -DskipTests");
    }
    TestDatabase.Connection database = TestDatabase.create();
    int port = freePort();
    Path work = Files.createTempDirectory("bench-identity");
    Path log = work.resolve("identity-service.log");
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    env.put("BOTFLEET_DB_URL", database.jdbcUrl());
    env.put("BOTFLEET_DB_USER", database.user());
    env.put("BOTFLEET_DB_PASSWORD", database.password());
    env.put("BOTFLEET_IDENTITY_SERVICE_PUBLIC_KEYS", servicePublicKeys);
    env.put("BOTFLEET_IDENTITY_BOOTSTRAP_TOKEN_FILE", work.resolve("bootstrap-token").toString());
    env.put("BOTFLEET_GREENHELIX_ENABLED", "false");
    builder.redirectErrorStream(true).redirectOutput(log.toFile()).directory(work.toFile());
    Process process = builder.start();
    IdentityServiceProcess service = new IdentityServiceProcess(process, port, log);
    try {
      service.awaitReady(Duration.ofSeconds(90));
    } catch (RuntimeException | InterruptedException e) {
      service.close();
      throw e;
    }
    return service;
  }

  int port() {
    return port;
  }

  private void awaitReady(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("identity-service exited; see " + log);
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("identity-service not ready after " + timeout + "; see " + log);
  }

  private static int freePort() throws IOException {
    for (int port = 19000 + (int) (ProcessHandle.current().pid() % 900); port < 20000; port++) {
      try (ServerSocket socket =
          new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException taken) {
        // try the next one
      }
    }
    throw new IOException("no free port in 19000-19999");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
