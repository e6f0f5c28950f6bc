package io.botfleet.bench.permission;

import io.botfleet.permission.v1.CheckPermissionResponse;
import io.botfleet.permission.v1.CheckPermissionsResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What PermissionCheckBenchmark prints: the table, the decision time and the profile. */
final class PermissionBenchReport {

  /** One phase: what the load measured and the CPU each side used meanwhile. */
  record Phase(UnaryLoad.Result result, long serverCpuMillis, long clientCpuMillis) {}

  private PermissionBenchReport() {}

  /** Counts answers by the rule that decided, to show the mix is what it should be. */
  static final class Outcomes {
    private final Map<String, AtomicLong> byRule = new ConcurrentHashMap<>();

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

    void streamed(io.botfleet.permission.v1.StreamPermissionChecksResponse answer) {
      if (answer.getErrorsCount() > 0) {
        count("malformed");
      } else {
        count(answer.getResult());
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

  static void report(
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

  /** The service's own decision time at the end of the run, as figures for bench/run. */
  static void decisionFigures(String metrics) {
    Matcher quantiles = QUANTILE.matcher(metrics);
    while (quantiles.find()) {
      String q = trimQuantile(quantiles.group(1));
      if (q.equals("50") || q.equals("99")) {
        io.botfleet.bench.harness.Figures.report(
            "permission over gRPC",
            "in-service decision p" + q,
            "µs",
            Double.parseDouble(quantiles.group(2)) * 1e6);
      }
    }
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
