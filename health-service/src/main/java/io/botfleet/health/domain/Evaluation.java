package io.botfleet.health.domain;

import java.util.List;

/**
 * What a heartbeat evaluated to.
 *
 * @param status healthy, warning or critical
 * @param issues the issues, in the guide's order (drawdown, latency, errors, memory)
 */
public record Evaluation(HealthStatus status, List<HealthIssue> issues) {

  /** The guide's strings of the issues. */
  public List<String> texts() {
    return issues.stream().map(HealthIssue::text).toList();
  }
}
