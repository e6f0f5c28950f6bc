package io.botfleet.deploy.domain;

/** A bot's evaluated health as health-service reports it. */
public enum HealthStatus {
  /** No heartbeat yet. */
  UNKNOWN,
  /** No issue. */
  HEALTHY,
  /** An elevated issue. */
  WARNING,
  /** A high issue. */
  CRITICAL,
  /** No heartbeat for longer than the dead threshold. */
  DEAD;

  /** True if a gate must fail on this status whatever the comparison says. */
  public boolean failsGate() {
    return this == CRITICAL || this == DEAD;
  }
}
