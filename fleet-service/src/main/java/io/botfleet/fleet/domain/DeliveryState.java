package io.botfleet.fleet.domain;

/** Where one command stands for one bot. */
public enum DeliveryState {
  /** Stored, not yet sent. */
  PENDING,
  /** Sent on the bot's stream, not yet acknowledged. */
  SENT,
  /** The bot accepted it. */
  ACCEPTED,
  /** The bot carried it out. */
  DONE,
  /** The bot refused it. */
  REJECTED,
  /** The bot tried and failed. */
  FAILED,
  /** Expired before the bot acknowledged it; never delivered again. */
  EXPIRED,
  /** Withdrawn before the bot acknowledged it (superseded by an emergency stop, deregistered). */
  CANCELLED;

  /**
   * How far along the state is: a delivery only moves to a higher rank. What a bot says (accepted,
   * then done, rejected or failed) outranks what the service decided (expired, cancelled), because
   * the bot had the command in hand.
   */
  public int rank() {
    return switch (this) {
      case PENDING -> 0;
      case SENT, EXPIRED, CANCELLED -> 1;
      case ACCEPTED -> 2;
      case DONE, REJECTED, FAILED -> 3;
    };
  }

  /** True while the bot may still receive it. */
  public boolean open() {
    return this == PENDING || this == SENT;
  }
}
