package io.botfleet.deploy.domain;

/** A bot's operational status as fleet-service reports it. */
public enum BotStatus {
  /** Registered, not yet connected. */
  PENDING,
  /** Trading. */
  ACTIVE,
  /** Paused (by an operator, a budget, or a deployment draining it). */
  PAUSED,
  /** Emergency-stopped. */
  STOPPED,
  /** No heartbeat for longer than its group's threshold. */
  DEAD,
  /** A dormant standby. */
  STANDBY,
  /** Being deregistered. */
  DEREGISTERING,
  /** Deregistered. */
  DEREGISTERED,
  /** Revoked after a compromise. */
  REVOKED,
  /** A status this service does not know (a newer fleet-service). */
  UNKNOWN;

  /** True for bots that have left the fleet: never selected, never shown in a version map. */
  public boolean gone() {
    return this == DEREGISTERING || this == DEREGISTERED || this == REVOKED;
  }
}
