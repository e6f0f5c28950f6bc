package io.botfleet.health.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * The guide's evaluation (chapter 5) with a policy's thresholds: a value strictly above the high
 * threshold is a high issue (critical), else strictly above the elevated one an elevated issue
 * (warning). Any high issue makes the bot critical; else any issue makes it warning; else healthy.
 */
public final class HealthEvaluator {

  private HealthEvaluator() {}

  /** Evaluates a well-formed heartbeat under an effective policy (every field set). */
  public static Evaluation evaluate(Heartbeat heartbeat, HealthPolicy policy) {
    List<HealthIssue> issues = new ArrayList<>(2);
    double drawdown = heartbeat.drawdownPct();
    String drawdownText = IssueText.oneDecimal(drawdown) + "%";
    levels(
        issues,
        "drawdown",
        drawdown,
        policy.drawdownWarningPct().orElseThrow(),
        policy.drawdownCriticalPct().orElseThrow(),
        drawdownText);
    double latency = heartbeat.latencyMs();
    levels(
        issues,
        "latency",
        latency,
        policy.latencyWarningMs().orElseThrow(),
        policy.latencyCriticalMs().orElseThrow(),
        IssueText.number(latency) + "ms");
    double errors = heartbeat.errorCount();
    levels(
        issues,
        "errors",
        errors,
        policy.errorsWarning().orElseThrow(),
        policy.errorsCritical().orElseThrow(),
        Long.toString(heartbeat.errorCount()));
    double memory = heartbeat.memoryMb();
    double memoryLimit = policy.memoryCriticalMb().orElseThrow();
    if (memory > memoryLimit) {
      issues.add(
          new HealthIssue(
              "high_memory",
              true,
              memory,
              memoryLimit,
              "high_memory:" + IssueText.number(memory) + "MB"));
    }
    HealthStatus status;
    if (issues.stream().anyMatch(HealthIssue::critical)) {
      status = HealthStatus.CRITICAL;
    } else if (!issues.isEmpty()) {
      status = HealthStatus.WARNING;
    } else {
      status = HealthStatus.HEALTHY;
    }
    return new Evaluation(status, List.copyOf(issues));
  }

  private static void levels(
      List<HealthIssue> issues,
      String metric,
      double value,
      double warning,
      double critical,
      String shown) {
    if (value > critical) {
      issues.add(
          new HealthIssue("high_" + metric, true, value, critical, "high_" + metric + ":" + shown));
    } else if (value > warning) {
      issues.add(
          new HealthIssue(
              "elevated_" + metric, false, value, warning, "elevated_" + metric + ":" + shown));
    }
  }
}
