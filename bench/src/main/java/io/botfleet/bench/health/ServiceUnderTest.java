package io.botfleet.bench.health;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The health-service under test: its own PostgreSQL (embedded, from Maven artifacts, with the
 * durability settings of a real server: fsync and synchronous_commit on) and the packaged service
 * (target/quarkus-app/quarkus-run.jar) as a separate JVM on a port in 19000-19999. Both stop when
 * the run ends.
 */
final class ServiceUnderTest implements AutoCloseable {

  private final EmbeddedPostgres postgres;
  private final Process process;
  private final int port;
  private final String jdbcUrl;
  private final HttpClient http = HttpClient.newHttpClient();

  ServiceUnderTest(Path jar, int port, int keyFeedPort, List<String> jvmOptions, Path log)
      throws IOException, InterruptedException {
    this.port = port;
    postgres =
        EmbeddedPostgres.builder()
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on")
            .setServerConfig("max_connections", "100")
            .setServerConfig("shared_buffers", "256MB")
            .start();
    jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    builder.environment().put("BOTFLEET_DB_URL", jdbcUrl);
    builder.environment().put("BOTFLEET_DB_USER", "postgres");
    builder.environment().put("BOTFLEET_DB_PASSWORD", "");
    builder.environment().put("BOTFLEET_IDENTITY_HOST", "127.0.0.1");
    builder.environment().put("BOTFLEET_IDENTITY_PORT", Integer.toString(keyFeedPort));
    Files.createDirectories(log.getParent());
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    process = builder.start();
    waitUntilReady(Duration.ofSeconds(90));
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** The durability settings PostgreSQL runs with, for the report. */
  String postgresSettings() throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Statement s = c.createStatement()) {
      for (String setting : List.of("fsync", "synchronous_commit", "server_version")) {
        try (ResultSet r = s.executeQuery("show " + setting)) {
          r.next();
          out.append(setting).append('=').append(r.getString(1)).append(' ');
        }
      }
    }
    return out.toString().trim();
  }

  /** Resident memory of the service process, bytes (Linux /proc). */
  long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  /** Heap in use after a full GC (jcmd GC.run, then the service's own metric), bytes. */
  long heapAfterGc() throws IOException, InterruptedException {
    Process gc =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()),
                "GC.run")
            .redirectErrorStream(true)
            .start();
    gc.getInputStream().readAllBytes();
    gc.waitFor();
    Thread.sleep(500);
    String metrics = get("/q/metrics");
    Pattern heap =
        Pattern.compile("jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} ([0-9.E+]+)");
    Matcher m = heap.matcher(metrics);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
    }
    return (long) total;
  }

  /** One metric line's value (first match), or NaN. */
  double metric(String prefix) throws IOException, InterruptedException {
    for (String line : get("/q/metrics").split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }

  private String get(String path) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private void waitUntilReady(Duration timeout) throws InterruptedException, IOException {
    long until = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < until) {
      if (!process.isAlive()) {
        throw new IOException("health-service exited with " + process.exitValue());
      }
      try {
        HttpResponse<String> ready =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IOException("health-service not ready within " + timeout);
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    postgres.close();
  }
}
