package io.botfleet.bench.permission;

import io.botfleet.bench.harness.Figures;
import io.botfleet.bench.harness.ServiceProcess;
import io.botfleet.devkit.TestDatabase;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Goal 6 of bench/README.md: CheckPermission over gRPC for a 10,000-bot fleet, against the raw cost
 * of an empty gRPC round trip, in one run on one machine.
 *
 * <p>It starts everything it needs and stops it afterwards: an embedded PostgreSQL, a stand-in of
 * identity-service's WatchKeys serving the bench bots' keys (so the service verifies every call
 * exactly as in production), and permission-service from its packaged jar with a JFR recording.
 * Then, after assigning the fleet through the API and a warm-up, it runs these phases:
 *
 * <ol>
 *   <li>empty: grpc.health.v1.Health/Check, an open RPC with an empty request: the transport alone;
 *   <li>single, pre-signed: one CheckPermission per call, each signed by its bot ahead of the phase
 *       (bots sign on their own machines; here the signing would steal the service's CPU);
 *   <li>single, signed live: the same, the load generator signing each call as it sends it;
 *   <li>batch, pre-signed: CheckPermissions with 100 checks per call.
 * </ol>
 *
 * It prints calls and checks per second, client latency, the CPU each side used, the in-service
 * decision time (from the service's own metric) and where the service's CPU went (from JFR).
 *
 * <p>Usage: {@code PermissionCheckBenchmark [jar] [port, 0 for a free one] [seconds per phase]
 * [rounds] [bots]}: every round runs every phase once, so slow drifts of a shared machine hit all
 * phases alike; each round gives one value per figure to bench/run.
 */
public final class PermissionCheckBenchmark {

  private static final int BATCH = 100;
  private static final int IN_FLIGHT = 128;
  private static final int STREAMS = 16;
  private static final int WINDOW = IN_FLIGHT / STREAMS;
  private static final String BENCHMARK = "permission over gRPC";

  private PermissionCheckBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path jar =
        Path.of(
            args.length > 0 ? args[0] : "permission-service/target/quarkus-app/quarkus-run.jar");
    int port =
        args.length > 1 && !args[1].equals("0")
            ? Integer.parseInt(args[1])
            : ServiceProcess.freePort(List.of());
    Duration phase = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 10);
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    int bots = args.length > 4 ? Integer.parseInt(args[4]) : 10_000;
    if (!Files.exists(jar)) {
      throw new IllegalArgumentException(jar + " is missing: build permission-service first");
    }
    Path work = Files.createTempDirectory("permission-bench");
    Path recording = work.resolve("permission.jfr");

    String loadBefore = loadAverage();
    System.out.printf("Generating %,d bots and their requests...%n", bots);
    BenchFleet fleet = BenchFleet.generate(bots, BATCH);
    TestDatabase.Connection database = TestDatabase.create();
    List<PermissionBenchReport.Phase> phases = new ArrayList<>();
    String metricsAfterSingles = "";
    String metricsAtEnd;
    long servicePid;
    try (IdentityStandIn identity = IdentityStandIn.start(fleet.agentKeys())) {
      Map<String, String> environment = new LinkedHashMap<>();
      environment.put("BOTFLEET_DB_URL", database.jdbcUrl());
      environment.put("BOTFLEET_DB_USER", database.user());
      environment.put("BOTFLEET_DB_PASSWORD", database.password());
      environment.put("BOTFLEET_IDENTITY_HOST", "127.0.0.1");
      environment.put("BOTFLEET_IDENTITY_PORT", Integer.toString(identity.port()));
      List<String> jvm =
          List.of(
              "-Xmx512m",
              "-XX:StartFlightRecording=filename="
                  + recording
                  + ",settings=profile,dumponexit=true");
      Path log = work.resolve("permission-service.log");
      System.out.printf("Starting permission-service on port %d (log %s)...%n", port, log);
      try (ServiceUnderTest service = ServiceUnderTest.start(jar, port, environment, jvm, log)) {
        servicePid = service.pid();
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          channels.add(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
        }
        try {
          long assignStart = System.nanoTime();
          fleet.assignAll(channels.get(0));
          System.out.printf(
              "Assigned %,d bots and paused 1 in 10 in %.1f s%n",
              bots, (System.nanoTime() - assignStart) / 1e9);

          PermissionBenchReport.Outcomes warmOutcomes = new PermissionBenchReport.Outcomes();
          run(
              service,
              channels,
              "warm-up (not reported)",
              BenchFleet.CHECK,
              () -> call(fleet.signCheckNow()),
              1,
              phase,
              warmOutcomes::single);

          PermissionBenchReport.Outcomes singleOutcomes = new PermissionBenchReport.Outcomes();
          PermissionBenchReport.Outcomes streamOutcomes = new PermissionBenchReport.Outcomes();
          for (int round = 1; round <= rounds; round++) {
            String suffix = rounds == 1 ? "" : " (round " + round + ")";
            PermissionBenchReport.Phase empty =
                run(
                    service,
                    channels,
                    "empty call (Health/Check, not signed)" + suffix,
                    "grpc.health.v1.Health/Check",
                    () -> new UnaryLoad.Call(new byte[0], null),
                    0,
                    phase,
                    body -> {});
            phases.add(empty);

            List<BenchFleet.Signed> singles = fleet.presignChecks(presignCount(phase, 12_000));
            PermissionBenchReport.Phase single =
                run(
                    service,
                    channels,
                    "CheckPermission, pre-signed" + suffix,
                    BenchFleet.CHECK,
                    pool(singles),
                    1,
                    phase,
                    singleOutcomes::single);
            phases.add(single);
            singles = null;

            PermissionBenchReport.Phase live =
                run(
                    service,
                    channels,
                    "CheckPermission, signed live by the client" + suffix,
                    BenchFleet.CHECK,
                    () -> call(fleet.signCheckNow()),
                    1,
                    phase,
                    body -> {});
            phases.add(live);

            PermissionBenchReport.Phase stream =
                runStream(
                    service,
                    channels,
                    fleet,
                    "StreamPermissionChecks, "
                        + STREAMS
                        + " streams × "
                        + WINDOW
                        + " in flight"
                        + suffix,
                    phase,
                    streamOutcomes);
            phases.add(stream);

            List<BenchFleet.Signed> batches = fleet.presignBatches(presignCount(phase, 1_000));
            PermissionBenchReport.Phase batch =
                run(
                    service,
                    channels,
                    "CheckPermissions x" + BATCH + ", pre-signed" + suffix,
                    BenchFleet.CHECK_BATCH,
                    pool(batches),
                    BATCH,
                    phase,
                    body -> {});
            phases.add(batch);
            batches = null;
            if (round == 1) {
              metricsAfterSingles = service.metrics();
            }
            figures(empty, single, live, stream, batch);
          }
          metricsAtEnd = service.metrics();
          PermissionBenchReport.decisionFigures(metricsAtEnd);
          System.out.printf("%nOutcomes of the stream checks: %s%n", streamOutcomes);
          System.out.printf("%nOutcomes of the pre-signed single checks: %s%n", singleOutcomes);
        } finally {
          for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
          }
        }
      }
    }
    PermissionBenchReport.report(phases, metricsAfterSingles, metricsAtEnd, recording, servicePid);
    System.out.printf(
        "%nMachine: %d cores; load average before %s, after %s. Recording and log: %s%n",
        Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage(), work);
  }

  private static PermissionBenchReport.Phase runStream(
      ServiceUnderTest service,
      List<ManagedChannel> channels,
      BenchFleet fleet,
      String name,
      Duration duration,
      PermissionBenchReport.Outcomes outcomes)
      throws InterruptedException, IOException {
    System.out.printf("Phase: %s (%d s)...%n", name, duration.toSeconds());
    long serverCpu = service.cpuMillis();
    long clientCpu = ServiceUnderTest.cpuMillisOf(ProcessHandle.current().pid());
    UnaryLoad.Result result =
        StreamLoad.run(name, channels, fleet, STREAMS, WINDOW, duration, outcomes::streamed);
    PermissionBenchReport.Phase phase =
        new PermissionBenchReport.Phase(
            result,
            service.cpuMillis() - serverCpu,
            ServiceUnderTest.cpuMillisOf(ProcessHandle.current().pid()) - clientCpu);
    System.out.printf(
        "  %,.0f checks/s, %d errors%s%n",
        result.checksPerSecond(),
        result.errors(),
        result.firstError() == null ? "" : " (first: " + result.firstError() + ")");
    return phase;
  }

  /** One value per figure per round, for bench/run's table. */
  private static void figures(
      PermissionBenchReport.Phase empty,
      PermissionBenchReport.Phase single,
      PermissionBenchReport.Phase live,
      PermissionBenchReport.Phase stream,
      PermissionBenchReport.Phase batch) {
    Figures.report(BENCHMARK, "empty gRPC call", "calls/s", empty.result().callsPerSecond());
    Figures.report(
        BENCHMARK, "CheckPermission, pre-signed", "checks/s", single.result().checksPerSecond());
    Figures.report(
        BENCHMARK, "CheckPermission, signed live", "checks/s", live.result().checksPerSecond());
    Figures.report(
        BENCHMARK, "StreamPermissionChecks", "checks/s", stream.result().checksPerSecond());
    Figures.report(
        BENCHMARK,
        "CheckPermissions ×100, pre-signed",
        "checks/s",
        batch.result().checksPerSecond());
    Figures.report(
        BENCHMARK,
        "CheckPermission pre-signed ÷ empty call",
        "ratio",
        single.result().callsPerSecond() / empty.result().callsPerSecond());
    Figures.report(
        BENCHMARK,
        "StreamPermissionChecks ÷ empty call",
        "ratio",
        stream.result().checksPerSecond() / empty.result().callsPerSecond());
    for (PermissionBenchReport.Phase p : List.of(empty, single, stream)) {
      Figures.report(
          BENCHMARK,
          "service CPU per call: " + p.result().name().replaceAll(" \\(.*", ""),
          "µs",
          1000.0 * p.serverCpuMillis() / Math.max(1, p.result().calls()));
    }
    Figures.report(
        BENCHMARK,
        "client p99: StreamPermissionChecks",
        "ms",
        stream.result().latencyMicros().getValueAtPercentile(99) / 1000.0);
    Figures.report(
        BENCHMARK,
        "client p99: CheckPermission, pre-signed",
        "ms",
        single.result().latencyMicros().getValueAtPercentile(99) / 1000.0);
  }

  /** The 1, 5 and 15 minute load averages, to judge how much else ran. */
  private static String loadAverage() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return fields[0] + " " + fields[1] + " " + fields[2];
  }

  /** Pre-sign generously: enough for {@code rate} calls per second over the phase. */
  private static int presignCount(Duration phase, int rate) {
    return (int) (phase.toSeconds() * rate * 13 / 10);
  }

  private static UnaryLoad.Call call(BenchFleet.Signed signed) {
    return new UnaryLoad.Call(signed.body(), signed.headers());
  }

  private static Supplier<UnaryLoad.Call> pool(List<BenchFleet.Signed> signed) {
    AtomicInteger next = new AtomicInteger();
    return () -> {
      int i = next.getAndIncrement();
      return i < signed.size() ? call(signed.get(i)) : null;
    };
  }

  private static PermissionBenchReport.Phase run(
      ServiceUnderTest service,
      List<ManagedChannel> channels,
      String name,
      String method,
      Supplier<UnaryLoad.Call> calls,
      int checksPerCall,
      Duration duration,
      Consumer<byte[]> onResponse)
      throws InterruptedException, IOException {
    System.out.printf("Phase: %s (%d s)...%n", name, duration.toSeconds());
    long serverCpu = service.cpuMillis();
    long clientCpu = ServiceUnderTest.cpuMillisOf(ProcessHandle.current().pid());
    UnaryLoad.Result result =
        UnaryLoad.run(
            name,
            channels,
            UnaryLoad.rawMethod(method),
            calls,
            checksPerCall,
            IN_FLIGHT,
            duration,
            onResponse);
    PermissionBenchReport.Phase phase =
        new PermissionBenchReport.Phase(
            result,
            service.cpuMillis() - serverCpu,
            ServiceUnderTest.cpuMillisOf(ProcessHandle.current().pid()) - clientCpu);
    System.out.printf(
        "  %,.0f calls/s, %,.0f checks/s, %d errors%s%n",
        result.callsPerSecond(),
        result.checksPerSecond(),
        result.errors(),
        result.firstError() == null ? "" : " (first: " + result.firstError() + ")");
    return phase;
  }
}
