package io.botfleet.bench.permission;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * permission-service as a real process: its packaged jar, its own port, its own database, the
 * identity stand-in as its key feed, and a JFR recording for the profile. Stopped with SIGTERM so
 * the recording is written.
 */
final class ServiceUnderTest implements AutoCloseable {

  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private ServiceUnderTest(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts the service and waits until it is ready (database migrated, key cache and permission
   * view loaded).
   */
  static ServiceUnderTest start(
      Path jar, int port, Map<String, String> environment, List<String> jvmOptions, Path log)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    ServiceUnderTest service = new ServiceUnderTest(builder.start(), port);
    service.awaitReady(Duration.ofSeconds(90), log);
    return service;
  }

  private void awaitReady(Duration timeout, Path log) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "permission-service exited with " + process.exitValue() + "; see " + log);
      }
      try {
        HttpResponse<String> ready =
            http.send(
                HttpRequest.newBuilder(URI.create(base() + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("permission-service not ready in " + timeout + "; see " + log);
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** CPU time (user + system) the process has used so far, in milliseconds. */
  long cpuMillis() throws IOException {
    return cpuMillisOf(process.pid());
  }

  /** CPU time (user + system) of a process from /proc, in milliseconds (clock ticks of 10 ms). */
  static long cpuMillisOf(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // After the command: state is field 3, utime 14 and stime 15 (1-based, man proc).
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 10;
  }

  /** The Prometheus metrics page. */
  String metrics() throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(base() + "/q/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
