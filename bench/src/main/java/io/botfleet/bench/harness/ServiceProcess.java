package io.botfleet.bench.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A botfleet service's packaged jar as a child process on a loopback port of the benchmark's
 * choosing, with the time from the process start to its first {@code /q/health/ready} 200. Stopped
 * with SIGTERM (then SIGKILL after 20 s) by {@link #close()}.
 */
public final class ServiceProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private final String name;
  private final Process process;
  private final int port;
  private final long startedNanos;
  private final Path log;
  private volatile long readyNanos;

  private ServiceProcess(String name, Process process, int port, long startedNanos, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.startedNanos = startedNanos;
    this.log = log;
  }

  /** Starts {@code jar} (not waiting for it to be ready). */
  public static ServiceProcess start(
      String name,
      Path jar,
      int port,
      Map<String, String> environment,
      List<String> jvmOptions,
      Path log)
      throws IOException {
    if (!jar.toFile().isFile()) {
      throw new IOException(jar + " is missing: package " + name + "-service first");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    long started = System.nanoTime();
    return new ServiceProcess(name, builder.start(), port, started, log);
  }

  /** Waits until ready; returns the time from the process start to the first ready answer. */
  public Duration awaitReady(Duration timeout) throws IOException, InterruptedException {
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = startedNanos + timeout.toNanos();
    while (readyNanos == 0) {
      if (!process.isAlive()) {
        throw new IOException(
            name + "-service exited with " + process.exitValue() + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(name + "-service not ready after " + timeout + "; see " + log);
      }
      try {
        if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          readyNanos = System.nanoTime();
          break;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    return Duration.ofNanos(readyNanos - startedNanos);
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** When the process was started (System.nanoTime). */
  public long startedNanos() {
    return startedNanos;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** A port in 19000-19999 free on loopback right now, not one of {@code taken}. */
  public static int freePort(List<Integer> taken) throws IOException {
    int start = 19000 + (int) ((ProcessHandle.current().pid() * 7 + taken.size() * 13) % 900);
    for (int i = 0; i < 1000; i++) {
      int port = 19000 + (start - 19000 + i) % 1000;
      if (taken.contains(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException busy) {
        // try the next one
      }
    }
    throw new IOException("no free port in 19000-19999");
  }
}
