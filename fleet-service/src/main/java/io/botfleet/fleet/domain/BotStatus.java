package io.botfleet.fleet.domain;

/** A bot's operational status as the fleet sees it. */
public enum BotStatus {
  /** Registered, waiting for the bot to enroll and connect. */
  PENDING,
  /** Trading. */
  ACTIVE,
  /** Paused. */
  PAUSED,
  /** Emergency-stopped. */
  STOPPED,
  /** No heartbeat for longer than its threshold. */
  DEAD,
  /** A dormant standby. */
  STANDBY,
  /** Told to shut down. */
  DEREGISTERING,
  /** Gone; kept for the audit trail. */
  DEREGISTERED,
  /** Revoked after a compromise; kept for the audit trail. */
  REVOKED;

  /** True while the bot counts as part of the fleet. */
  public boolean inFleet() {
    return this != DEREGISTERED && this != REVOKED;
  }
}
