package io.botfleet.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the FIGURE lines bench/run collected (see {@link Figures}) and prints one table: per figure
 * the number of values, the median, the spread (min–max, and the interquartile range when there are
 * at least four values) and, where an issue names a goal, whether the median meets it and by how
 * much it misses.
 *
 * <p>Usage: {@code ResultTable figures.tsv [more.tsv ...]}
 */
public final class ResultTable {

  /**
   * A goal on a figure: the median (or, for a goal on the tail of repeated runs, the worst run)
   * must be below (or above) the limit.
   */
  record Goal(boolean below, double limit, String text, boolean worst) {

    Goal(boolean below, double limit, String text) {
      this(below, limit, text, false);
    }

    String verdict(double[] sorted) {
      double value =
          worst ? (below ? sorted[sorted.length - 1] : sorted[0]) : quantile(sorted, 0.5);
      boolean met = below ? value < limit : value > limit;
      String which = worst ? " (worst run)" : "";
      if (met) {
        return "met" + which;
      }
      if (below) {
        double factor = value / limit;
        return String.format(
            Locale.ROOT,
            "missed%s: %s",
            which,
            factor < 2
                ? String.format(Locale.ROOT, "%.0f %% over the limit", (factor - 1) * 100)
                : String.format(Locale.ROOT, "%.1f× the limit", factor));
      }
      double share = value / limit;
      return String.format(
          Locale.ROOT,
          "missed%s: %s",
          which,
          share > 0.5
              ? String.format(Locale.ROOT, "%.0f %% short", (1 - share) * 100)
              : String.format(Locale.ROOT, "%.1f× short", 1 / Math.max(share, 1e-9)));
    }
  }

  /** Goals from the service issues, keyed by benchmark and figure. */
  static final Map<String, Goal> GOALS =
      Map.ofEntries(
          Map.entry(
              "heartbeat 10000 bots/send→answer p99", new Goal(true, 50, "p99 < 50 ms at 1/s")),
          Map.entry(
              "heartbeat 10000 bots/heartbeats answered",
              new Goal(false, 9_500, "≥ 95 % of 10,000/s")),
          Map.entry(
              "dead-bot detection 10000 bots/deadline→decision p99",
              new Goal(true, 1_000, "p99 < 1 s")),
          Map.entry(
              "emergency stop 10000 bots/operator call→last ack (warm)",
              new Goal(true, 500, "p99 < 0.5 s warm", true)),
          Map.entry(
              "emergency stop 10000 bots/operator call→last ack (cold)",
              new Goal(true, 1_000, "< 1 s cold")),
          Map.entry(
              "permission over gRPC/StreamPermissionChecks",
              new Goal(false, 20_000, "> 20,000 checks/s")),
          Map.entry(
              "permission over gRPC/CheckPermission, pre-signed",
              new Goal(false, 20_000, "> 20,000 checks/s")),
          Map.entry(
              "permission over gRPC/CheckPermissions ×100, pre-signed",
              new Goal(false, 20_000, "> 20,000 checks/s")),
          Map.entry("permission decision (JMH)/decision p99", new Goal(true, 50, "p99 < 50 µs")),
          Map.entry(
              "permission over gRPC/in-service decision p99", new Goal(true, 50, "p99 < 50 µs")),
          Map.entry(
              "revocation to WatchKeys/revoke→last subscriber p99",
              new Goal(true, 100, "< 100 ms")));

  private ResultTable() {}

  public static void main(String[] args) throws IOException {
    Map<String, List<Double>> values = new LinkedHashMap<>();
    Map<String, String> units = new LinkedHashMap<>();
    for (String file : args) {
      for (String line : Files.readAllLines(Path.of(file))) {
        String[] f = line.split("\t");
        if (f.length != 5 || !f[0].equals("FIGURE")) {
          continue;
        }
        String key = f[1] + "\t" + f[2];
        values.computeIfAbsent(key, k -> new ArrayList<>()).add(Double.parseDouble(f[4]));
        units.put(key, f[3]);
      }
    }
    System.out.print(table(values, units));
  }

  /** The markdown table of every figure, in the order the figures first appeared. */
  static String table(Map<String, List<Double>> values, Map<String, String> units) {
    StringBuilder out = new StringBuilder();
    out.append("| benchmark | figure | unit | runs | median | spread (min–max) | IQR | goal |\n");
    out.append("|---|---|---|---|---|---|---|---|\n");
    String previous = "";
    for (Map.Entry<String, List<Double>> entry : values.entrySet()) {
      String key = entry.getKey();
      int tab = key.indexOf('\t');
      String benchmark = key.substring(0, tab);
      String figure = key.substring(tab + 1);
      double[] sorted =
          entry.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double median = quantile(sorted, 0.5);
      Goal goal = GOALS.get(benchmark + "/" + figure);
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %d | %s | %s – %s | %s | %s |%n",
              benchmark.equals(previous) ? "" : benchmark,
              figure,
              units.get(key),
              sorted.length,
              number(median),
              number(sorted[0]),
              number(sorted[sorted.length - 1]),
              sorted.length >= 4
                  ? number(quantile(sorted, 0.25)) + " – " + number(quantile(sorted, 0.75))
                  : "",
              goal == null ? "" : goal.text() + ": **" + goal.verdict(sorted) + "**"));
      previous = benchmark;
    }
    return out.toString();
  }

  /** Linear interpolation between the closest ranks (the usual "type 7" quantile). */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 1) {
      return sorted[0];
    }
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(sorted.length - 1, below + 1);
    return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
  }

  /** Three significant digits, thousands separated: 16,266 / 98.1 / 0.382. */
  static String number(double value) {
    double magnitude = Math.abs(value);
    if (magnitude >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    if (magnitude >= 100) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    if (magnitude >= 10) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    if (magnitude >= 1) {
      return String.format(Locale.ROOT, "%.2f", value);
    }
    return String.format(Locale.ROOT, "%.3g", value);
  }
}
