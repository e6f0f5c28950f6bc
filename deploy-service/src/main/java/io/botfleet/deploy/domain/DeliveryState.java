package io.botfleet.deploy.domain;

/** Where one command stands for one bot, as fleet-service reports it. */
public enum DeliveryState {
  /** Stored, not yet sent. */
  PENDING,
  /** Sent, not yet acknowledged. */
  SENT,
  /** The bot accepted it. */
  ACCEPTED,
  /** The bot carried it out. */
  DONE,
  /** The bot refused it. */
  REJECTED,
  /** The bot tried and failed. */
  FAILED,
  /** Expired before the bot acknowledged it. */
  EXPIRED,
  /** Withdrawn before delivery. */
  CANCELLED,
  /** Not reported (yet). */
  UNKNOWN;

  /** The bot acknowledged the command and is carrying it out or has. */
  public boolean acknowledged() {
    return this == ACCEPTED || this == DONE;
  }

  /** The command will never take effect as asked. */
  public boolean unsuccessful() {
    return this == REJECTED || this == FAILED || this == EXPIRED || this == CANCELLED;
  }

  /**
   * True if the bot certainly did not apply the command: it refused it, or never received it. A
   * FAILED bot tried, so it may be half-way and is rolled back like an updated one.
   */
  public boolean certainlyNotApplied() {
    return this == REJECTED || this == EXPIRED || this == CANCELLED;
  }
}
