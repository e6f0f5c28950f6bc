package io.botfleet.bench.sim;

import io.botfleet.sdk.fake.FakeCommand;
import io.botfleet.sdk.fake.FakeControlPlane;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What N simulated bots cost in one fleet-sim JVM: the simulator runs as a child process (its own
 * heap limit, measured alone) against the SDK's fake control plane in this process, on a local
 * port. Measures time until every bot enrolled and heartbeats, heartbeats per second in steady
 * state, live heap after a full GC, resident memory and threads of the simulator, and the time from
 * a pause sent to every bot to the last acknowledgement.
 *
 * <pre>
 * java -cp bench/target/classes:$(cat bench/target/classpath.txt) \
 *   io.botfleet.bench.sim.FleetSimFootprint [bots=10000] [heap=256m] [steady-seconds=60] [journal=disk]
 * </pre>
 */
public final class FleetSimFootprint {

  private FleetSimFootprint() {}

  public static void main(String[] args) throws Exception {
    int bots = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    String heap = args.length > 1 ? args[1] : "256m";
    int steadySeconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    String journal = args.length > 3 ? args[3] : "disk";
    Path dir = Files.createTempDirectory("fleet-sim-footprint");
    try (FakeControlPlane plane = FakeControlPlane.onLocalPort()) {
      List<String> names = new ArrayList<>();
      List<String> groups = List.of("spot-arb", "perp-momentum", "options-mm");
      StringBuilder tokens = new StringBuilder();
      for (int i = 0; i < bots; i++) {
        String name = String.format("%s-%05d", groups.get(i % 3), i / 3 + 1);
        names.add(name);
        tokens.append(name).append(' ').append(plane.issueToken(name)).append('\n');
      }
      Path tokensFile = dir.resolve("tokens.txt");
      Files.writeString(tokensFile, tokens);
      String url = plane.endpoints().fleet().toString();
      Path log = dir.resolve("fleet-sim.log");
      Process sim =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx" + heap,
                  "-XX:+UseSerialGC",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "io.botfleet.sim.FleetSim",
                  "--fleet",
                  url,
                  "--identity",
                  url,
                  "--permission",
                  url,
                  "--health",
                  url,
                  "--billing",
                  url,
                  "--tokens",
                  tokensFile.toString(),
                  "--keys-dir",
                  dir.resolve("keys").toString(),
                  "--heartbeat-interval",
                  "15s",
                  "--start-rate",
                  "1000",
                  "--status-every",
                  "0s",
                  "--no-stdin",
                  "--seed",
                  "1")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        long start = System.nanoTime();
        while (plane.heartbeatingBots() < bots) {
          if (!sim.isAlive()) {
            throw new IllegalStateException("fleet-sim exited; see " + log);
          }
          TimeUnit.MILLISECONDS.sleep(200);
        }
        double connectSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d bots enrolled and heartbeating after %.1f s%n", bots, connectSeconds);

        long before = plane.heartbeatCount();
        TimeUnit.SECONDS.sleep(steadySeconds);
        double perSecond = (plane.heartbeatCount() - before) / (double) steadySeconds;

        Map<String, String> agentIds = plane.agentIds();
        long pauseStart = System.nanoTime();
        List<FakeCommand> pauses = new ArrayList<>(bots);
        for (String name : names) {
          pauses.add(plane.send(agentIds.get(name), "pause", Map.of("reason", "bench")));
        }
        while (!pauses.stream().allMatch(FakeCommand::settled)) {
          TimeUnit.MILLISECONDS.sleep(20);
        }
        double pauseSeconds = (System.nanoTime() - pauseStart) / 1e9;

        long pid = sim.pid();
        long liveHeap = liveHeapBytes(pid);
        Map<String, String> status = procStatus(pid);
        System.out.printf(
            "heartbeats/s in steady state: %.0f (expected %.0f)%n", perSecond, bots / 15.0);
        System.out.printf("pause to all %d bots, last ack after: %.2f s%n", bots, pauseSeconds);
        System.out.printf(
            "fleet-sim JVM (-Xmx%s): live heap after full GC %.1f MiB (%.1f KiB per bot), RSS %s, threads %s%n",
            heap,
            liveHeap / 1048576.0,
            liveHeap / 1024.0 / bots,
            status.get("VmRSS"),
            status.get("Threads"));
        System.out.printf("refused calls: %d%n", plane.refusals().size());
      } finally {
        sim.destroy();
        sim.waitFor(15, TimeUnit.SECONDS);
        sim.destroyForcibly();
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  /** Live bytes on the heap: jcmd's class histogram runs a full GC first. */
  private static long liveHeapBytes(long pid) throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid),
                "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor();
    String[] lines = output.strip().split("\n");
    String[] total = lines[lines.length - 1].trim().split("\\s+");
    return Long.parseLong(total[total.length - 1]);
  }

  private static Map<String, String> procStatus(long pid) throws IOException {
    Map<String, String> values = new java.util.HashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        values.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return values;
  }
}
