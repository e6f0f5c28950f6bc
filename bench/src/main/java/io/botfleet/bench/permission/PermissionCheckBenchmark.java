package io.botfleet.bench.permission;

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
 * <p>Usage: {@code PermissionCheckBenchmark [jar] [port] [seconds per phase]}
 */
public final class PermissionCheckBenchmark {

  private static final int BOTS = 10_000;
  private static final int BATCH = 100;
  private static final int IN_FLIGHT = 128;

  private PermissionCheckBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path jar =
        Path.of(
            args.length > 0 ? args[0] : "permission-service/target/quarkus-app/quarkus-run.jar");
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 19482;
    Duration phase = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 10);
    if (!Files.exists(jar)) {
      throw new IllegalArgumentException(jar + " is missing: build permission-service first");
    }
    Path work = Files.createTempDirectory("permission-bench");
    Path recording = work.resolve("permission.jfr");

    String loadBefore = loadAverage();
    System.out.printf("Generating %,d bots and their requests...%n", BOTS);
    BenchFleet fleet = BenchFleet.generate(BOTS, BATCH);
    TestDatabase.Connection database = TestDatabase.create();
    List<PermissionBenchReport.Phase> phases = new ArrayList<>();
    String metricsAfterSingles;
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
              BOTS, (System.nanoTime() - assignStart) / 1e9);

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

          phases.add(
              run(
                  service,
                  channels,
                  "empty call (Health/Check, not signed)",
                  "grpc.health.v1.Health/Check",
                  () -> new UnaryLoad.Call(new byte[0], null),
                  0,
                  phase,
                  body -> {}));

          List<BenchFleet.Signed> singles = fleet.presignChecks(presignCount(phase, 30_000));
          PermissionBenchReport.Outcomes singleOutcomes = new PermissionBenchReport.Outcomes();
          phases.add(
              run(
                  service,
                  channels,
                  "CheckPermission, pre-signed",
                  BenchFleet.CHECK,
                  pool(singles),
                  1,
                  phase,
                  singleOutcomes::single));
          singles = null;
          metricsAfterSingles = service.metrics();

          PermissionBenchReport.Outcomes liveOutcomes = new PermissionBenchReport.Outcomes();
          phases.add(
              run(
                  service,
                  channels,
                  "CheckPermission, signed live by the client",
                  BenchFleet.CHECK,
                  () -> call(fleet.signCheckNow()),
                  1,
                  phase,
                  liveOutcomes::single));

          List<BenchFleet.Signed> batches = fleet.presignBatches(presignCount(phase, 1_000));
          PermissionBenchReport.Outcomes batchOutcomes = new PermissionBenchReport.Outcomes();
          phases.add(
              run(
                  service,
                  channels,
                  "CheckPermissions x" + BATCH + ", pre-signed",
                  BenchFleet.CHECK_BATCH,
                  pool(batches),
                  BATCH,
                  phase,
                  batchOutcomes::batch));
          batches = null;
          metricsAtEnd = service.metrics();
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
