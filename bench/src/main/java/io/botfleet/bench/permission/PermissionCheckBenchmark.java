package io.botfleet.bench.permission;

import io.botfleet.devkit.TestDatabase;
import io.botfleet.permission.v1.CheckPermissionResponse;
import io.botfleet.permission.v1.CheckPermissionsResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    List<Phase> phases = new ArrayList<>();
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

          Outcomes warmOutcomes = new Outcomes();
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
          Outcomes singleOutcomes = new Outcomes();
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

          Outcomes liveOutcomes = new Outcomes();
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
          Outcomes batchOutcomes = new Outcomes();
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
    report(phases, metricsAfterSingles, metricsAtEnd, recording, servicePid);
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

  private static Phase run(
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
    Phase phase =
        new Phase(
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

  private record Phase(UnaryLoad.Result result, long serverCpuMillis, long clientCpuMillis) {}

  /** Counts answers by the rule that decided, to show the mix is what it should be. */
  private static final class Outcomes {
    private final Map<String, AtomicLong> byRule = new java.util.concurrent.ConcurrentHashMap<>();

    void single(byte[] body) {
      try {
        count(CheckPermissionResponse.parseFrom(body));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        count("unparsable");
      }
    }

    void batch(byte[] body) {
      try {
        CheckPermissionsResponse.parseFrom(body).getResultsList().forEach(this::count);
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        count("unparsable");
      }
    }

    private void count(CheckPermissionResponse response) {
      count(response.getRule().name().replace("DECISION_RULE_", "").toLowerCase(Locale.ROOT));
    }

    private void count(String rule) {
      byRule.computeIfAbsent(rule, r -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public String toString() {
      long total = byRule.values().stream().mapToLong(AtomicLong::get).sum();
      StringBuilder text = new StringBuilder();
      byRule.entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(
              e ->
                  text.append(
                      String.format(
                          "%s %.1f%%  ", e.getKey(), 100.0 * e.getValue().get() / total)));
      return text.toString().trim();
    }
  }

  private static void report(
      List<Phase> phases,
      String metricsAfterSingles,
      String metricsAtEnd,
      Path recording,
      long servicePid)
      throws IOException {
    System.out.println();
    System.out.println(
        "| phase | calls/s | checks/s | client p50 / p99 (ms) | service CPU per call (µs) |"
            + " load generator CPU per call (µs) | errors |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Phase phase : phases) {
      UnaryLoad.Result r = phase.result();
      System.out.printf(
          "| %s | %,.0f | %,.0f | %.2f / %.2f | %.0f | %.0f | %d |%n",
          r.name(),
          r.callsPerSecond(),
          r.checksPerSecond(),
          r.latencyMicros().getValueAtPercentile(50) / 1000.0,
          r.latencyMicros().getValueAtPercentile(99) / 1000.0,
          1000.0 * phase.serverCpuMillis() / Math.max(1, r.calls()),
          1000.0 * phase.clientCpuMillis() / Math.max(1, r.calls()),
          r.errors());
    }
    double empty = phases.get(0).result().callsPerSecond();
    System.out.printf(
        "%nSingle checks per second relative to empty calls: pre-signed %.2f, signed live %.2f%n",
        phases.get(1).result().callsPerSecond() / empty,
        phases.get(2).result().callsPerSecond() / empty);

    System.out.println();
    System.out.println("In-service decision time (botfleet_permission_decision_seconds):");
    System.out.println("  after the single-check phases: " + decisionTimes(metricsAfterSingles));
    System.out.println("  at the end (incl. batches):    " + decisionTimes(metricsAtEnd));

    System.out.println();
    System.out.println(
        "Where the service's CPU went (JFR execution samples, pid " + servicePid + "):");
    for (Phase phase : phases) {
      long[] samples = new long[1];
      Map<String, Double> shares =
          JfrProfile.shares(recording, phase.result().start(), phase.result().end(), samples);
      System.out.printf("  %s (%,d samples)%n", phase.result().name(), samples[0]);
      shares.forEach(
          (part, share) -> {
            if (share >= 0.5) {
              System.out.printf("    %5.1f%%  %s%n", share, part);
            }
          });
    }
  }

  private static final Pattern QUANTILE =
      Pattern.compile(
          "botfleet_permission_decision_seconds\\{[^}]*quantile=\"([0-9.]+)\"[^}]*\\} ([0-9.eE+-]+)");
  private static final Pattern COUNT =
      Pattern.compile("botfleet_permission_decision_seconds_count\\{[^}]*\\} ([0-9.eE+-]+)");
  private static final Pattern SUM =
      Pattern.compile("botfleet_permission_decision_seconds_sum\\{[^}]*\\} ([0-9.eE+-]+)");

  private static String decisionTimes(String metrics) {
    StringBuilder text = new StringBuilder();
    Matcher quantiles = QUANTILE.matcher(metrics);
    while (quantiles.find()) {
      text.append(
          String.format(
              "p%s %.2f µs, ",
              trimQuantile(quantiles.group(1)), Double.parseDouble(quantiles.group(2)) * 1e6));
    }
    Matcher count = COUNT.matcher(metrics);
    Matcher sum = SUM.matcher(metrics);
    if (count.find() && sum.find()) {
      double n = Double.parseDouble(count.group(1));
      text.append(
          String.format(
              "mean %.2f µs over %,.0f decisions", Double.parseDouble(sum.group(1)) / n * 1e6, n));
    }
    return text.toString();
  }

  private static String trimQuantile(String quantile) {
    return switch (quantile) {
      case "0.5" -> "50";
      case "0.99" -> "99";
      case "0.999" -> "99.9";
      default -> quantile;
    };
  }
}
