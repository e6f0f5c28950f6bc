package io.botfleet.bench.killswitch;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** fleet-service's packaged jar as its own process, on a port of the benchmark's choosing. */
final class FleetServiceProcess implements AutoCloseable {

  private final Process process;
  private final long readyAfterMillis;

  FleetServiceProcess(
      Path jar, int port, Map<String, String> environment, List<String> jvmOptions, Path log)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
    builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
    long start = System.nanoTime();
    process = builder.start();
    long deadline = start + TimeUnit.SECONDS.toNanos(180);
    while (!ready(port)) {
      if (!process.isAlive()) {
        throw new IOException("fleet-service exited while starting; see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("fleet-service not ready after 180 s; see " + log);
      }
      Thread.sleep(100);
    }
    readyAfterMillis = (System.nanoTime() - start) / 1_000_000;
  }

  /** From process start to ready. */
  Duration startup() {
    return Duration.ofMillis(readyAfterMillis);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static boolean ready(int port) {
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
}
