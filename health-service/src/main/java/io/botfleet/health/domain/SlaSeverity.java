package io.botfleet.health.domain;

/** Severity of an SLA finding, in escalating order. */
public enum SlaSeverity {
  /** Approaching the target (inside the warning band): recorded. */
  WARNING,
  /** Target missed: alert, event fleet.sla_violation, webhook. */
  VIOLATION,
  /** Target missed by more than the critical factor: fleet-service pauses the bot. */
  CRITICAL
}
