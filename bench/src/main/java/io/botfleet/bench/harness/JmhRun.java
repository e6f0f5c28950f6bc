package io.botfleet.bench.harness;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs one of the JMH benchmarks for bench/run and prints its figures, one value per fork: each
 * fork is a fresh JVM, so the spread across forks is the run-to-run spread the table reports.
 *
 * <p>Usage: {@code JmhRun signature|decision|health-eval [forks] [quick]}
 */
public final class JmhRun {

  private JmhRun() {}

  public static void main(String[] args) throws Exception {
    String which = args[0];
    int forks = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    boolean quick = args.length > 2 && args[2].equals("quick");
    String include =
        switch (which) {
          case "signature" -> "SignatureVerificationBenchmark";
          case "decision" -> "PermissionDecisionBenchmark";
          case "health-eval" -> "HealthEvaluationBenchmark";
          default -> throw new IllegalArgumentException("unknown JMH benchmark " + which);
        };
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include("io\\.botfleet\\.bench\\.jmh\\." + include + "\\.")
            .forks(forks);
    if (quick) {
      options
          .warmupIterations(1)
          .warmupTime(TimeValue.seconds(1))
          .measurementIterations(2)
          .measurementTime(TimeValue.seconds(1));
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    switch (which) {
      case "signature" -> signature(results);
      case "decision" -> sampled(results, "permission decision (JMH)", "decision", "decide");
      default -> sampled(results, "health evaluation (JMH)", "evaluation", "evaluate");
    }
  }

  private static void signature(Collection<RunResult> results) {
    Map<String, List<Double>> perFork = new HashMap<>();
    for (RunResult run : results) {
      String method = method(run);
      List<Double> scores = new ArrayList<>();
      for (BenchmarkResult fork : run.getBenchmarkResults()) {
        double score = fork.getPrimaryResult().getScore();
        scores.add(score);
        Figures.report("signature verification (JMH)", method, "verifications/s", score);
      }
      perFork.put(method, scores);
    }
    List<Double> ours = perFork.getOrDefault("botfleetPath", List.of());
    List<Double> raw = perFork.getOrDefault("rawBouncyCastle", List.of());
    List<Double> jdk = perFork.getOrDefault("jdkEd25519", List.of());
    for (int i = 0; i < Math.min(ours.size(), raw.size()); i++) {
      Figures.report(
          "signature verification (JMH)",
          "botfleetPath ÷ rawBouncyCastle",
          "ratio",
          ours.get(i) / raw.get(i));
    }
    for (int i = 0; i < Math.min(jdk.size(), raw.size()); i++) {
      Figures.report(
          "signature verification (JMH)",
          "jdkEd25519 ÷ rawBouncyCastle",
          "ratio",
          jdk.get(i) / raw.get(i));
    }
  }

  /** SampleTime gives per-fork percentiles of single operations; Throughput the rate. */
  private static void sampled(
      Collection<RunResult> results, String benchmark, String what, String operation) {
    for (RunResult run : results) {
      String mode = run.getParams().getMode().shortLabel();
      for (BenchmarkResult fork : run.getBenchmarkResults()) {
        Result<?> primary = fork.getPrimaryResult();
        if (mode.equals("sample")) {
          double toMicros = microsPer(primary.getScoreUnit());
          Figures.report(
              benchmark, what + " p50", "µs", primary.getStatistics().getPercentile(50) * toMicros);
          Figures.report(
              benchmark, what + " p99", "µs", primary.getStatistics().getPercentile(99) * toMicros);
          Figures.report(
              benchmark,
              what + " p99.9",
              "µs",
              primary.getStatistics().getPercentile(99.9) * toMicros);
        } else if (mode.equals("thrpt")) {
          Figures.report(
              benchmark,
              operation + " per second, one thread",
              "ops/s",
              primary.getScore() * opsPerSecond(primary.getScoreUnit()));
        }
      }
    }
  }

  private static String method(RunResult run) {
    String name = run.getParams().getBenchmark();
    return name.substring(name.lastIndexOf('.') + 1);
  }

  private static double microsPer(String unit) {
    return switch (unit.substring(0, unit.indexOf('/'))) {
      case "ns" -> 1e-3;
      case "us" -> 1;
      case "ms" -> 1e3;
      default -> 1e6;
    };
  }

  private static double opsPerSecond(String unit) {
    return switch (unit.substring(unit.indexOf('/') + 1)) {
      case "ns" -> 1e9;
      case "us" -> 1e6;
      case "ms" -> 1e3;
      default -> 1;
    };
  }
}
