package io.botfleet.fleet.domain;

/**
 * How far a registration got. Each step is idempotent on the callee's side, so a retried
 * registration resumes from here; one that fails is undone in reverse order.
 */
public enum RegistrationState {
  /** Accepted, nothing done yet. */
  STARTED,
  /** The identity exists in identity-service. */
  IDENTITY_REGISTERED,
  /** permission-service holds its permissions. */
  PERMISSIONS_ASSIGNED,
  /** health-service tracks it. */
  HEALTH_TRACKED,
  /** The bot is in the fleet. */
  COMPLETED,
  /** A step failed; the steps before it are being undone. */
  COMPENSATING,
  /** Undone; a retry with the same request id starts over. */
  FAILED;

  /** True once nothing more will happen to it by itself. */
  public boolean terminal() {
    return this == COMPLETED || this == FAILED;
  }
}
