package io.botfleet.identity.domain;

/** The states of a key rotation. */
public enum RotationState {
  /** Begun; waiting for the identity to register its new public key. */
  AWAITING_KEY,
  /** The new key is registered (NEXT); both verify until confirmation or the deadline. */
  AWAITING_CONFIRMATION,
  /** The new key is current and the old one retired. */
  COMPLETED,
  /** Ended without a switch; the old key stays current. */
  CANCELLED;

  /** True while the rotation is in progress. */
  public boolean inProgress() {
    return this == AWAITING_KEY || this == AWAITING_CONFIRMATION;
  }
}
