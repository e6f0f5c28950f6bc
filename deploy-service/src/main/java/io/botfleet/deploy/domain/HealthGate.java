package io.botfleet.deploy.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The health gate. An updated bot fails it when it is critical or dead, when it stops reporting the
 * new version, or when over the analysis window its errors per heartbeat, latency or drawdown are
 * worse than the baseline's mean by more than the margins. A bot that sent no heartbeat with the
 * new version, or a missing baseline, makes the analysis inconclusive: silence is never a pass.
 */
public final class HealthGate {

  private HealthGate() {}

  /**
   * A failure visible at once in a bot's current health, checked on every tick of an analysis so a
   * critical canary is rolled back without waiting for the end of its bake.
   */
  public static Optional<String> immediateFailure(
      String botName, BotHealth health, String version) {
    if (health.status() == HealthStatus.DEAD) {
      return Optional.of(botName + " is dead");
    }
    if (health.status() == HealthStatus.CRITICAL) {
      return Optional.of(
          botName
              + " is critical"
              + (health.issues().isEmpty() ? "" : " (" + String.join(", ", health.issues()) + ")"));
    }
    if (health.version() != null && !health.version().equals(version)) {
      return Optional.of(botName + " reports version " + health.version() + " again");
    }
    return Optional.empty();
  }

  /**
   * Judges the updated bots against a baseline.
   *
   * @param subjects the updated bots' metrics (new-version heartbeats only)
   * @param baseline the comparison bots' metrics (silent ones are ignored)
   * @param baselineLabel how the reasons call the baseline, e.g. "group"
   * @param margins the margins
   * @param version the new version (for the reasons)
   * @param windowStart start of the analysis window
   * @param windowEnd its end
   */
  public static GateVerdict evaluate(
      List<BotMetrics> subjects,
      List<BotMetrics> baseline,
      String baselineLabel,
      GateMargins margins,
      String version,
      Instant windowStart,
      Instant windowEnd) {
    Instant halfway = windowStart.plus(Duration.between(windowStart, windowEnd).dividedBy(2));
    List<String> failures = new ArrayList<>();
    List<String> unknowns = new ArrayList<>();
    List<BotMetrics> heard = new ArrayList<>();
    for (BotMetrics s : subjects) {
      if (s.worstStatus().failsGate()) {
        failures.add(
            s.botName()
                + " was "
                + s.worstStatus().name().toLowerCase(Locale.ROOT)
                + " during the analysis");
      }
      if (s.samples() == 0) {
        unknowns.add(s.botName() + " sent no heartbeat with " + version + " over the analysis");
      } else if (s.lastSample().isBefore(halfway)) {
        unknowns.add(s.botName() + " has been silent since " + s.lastSample());
      } else {
        heard.add(s);
      }
    }
    List<BotMetrics> base = baseline.stream().filter(b -> b.samples() > 0).toList();
    if (base.isEmpty()) {
      unknowns.add(
          "no " + baselineLabel + " bot reported over the analysis: nothing to compare with");
    } else {
      double errors = base.stream().mapToDouble(BotMetrics::errorsPerHeartbeat).average().orElse(0);
      double latency = base.stream().mapToDouble(BotMetrics::meanLatencyMs).average().orElse(0);
      double drawdown = base.stream().mapToDouble(BotMetrics::maxDrawdownPct).average().orElse(0);
      for (BotMetrics s : heard) {
        if (s.errorsPerHeartbeat() > errors + margins.errorCount()) {
          failures.add(
              String.format(
                  Locale.ROOT,
                  "%s error_count %.2f/hb vs %s %.2f/hb (margin %s)",
                  s.botName(),
                  s.errorsPerHeartbeat(),
                  baselineLabel,
                  errors,
                  trim(margins.errorCount())));
        }
        if (s.meanLatencyMs() > latency * (1 + margins.latencyPct() / 100)) {
          failures.add(
              String.format(
                  Locale.ROOT,
                  "%s latency %.1f ms vs %s %.1f ms (margin %s%%)",
                  s.botName(),
                  s.meanLatencyMs(),
                  baselineLabel,
                  latency,
                  trim(margins.latencyPct())));
        }
        if (s.maxDrawdownPct() > drawdown + margins.drawdownPct()) {
          failures.add(
              String.format(
                  Locale.ROOT,
                  "%s drawdown %.2f%% vs %s %.2f%% (margin %s pp)",
                  s.botName(),
                  s.maxDrawdownPct(),
                  baselineLabel,
                  drawdown,
                  trim(margins.drawdownPct())));
        }
      }
    }
    if (!failures.isEmpty()) {
      return new GateVerdict(AnalysisResult.FAILED, failures);
    }
    if (!unknowns.isEmpty()) {
      return new GateVerdict(AnalysisResult.INCONCLUSIVE, unknowns);
    }
    return new GateVerdict(
        AnalysisResult.SUCCESSFUL,
        List.of(
            subjects.size()
                + " updated bot(s) within the margins of "
                + base.size()
                + " "
                + baselineLabel
                + " bot(s)"));
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
