package io.botfleet.permission.domain;

/** State of an escalation request. */
public enum EscalationState {
  /** Waiting for a second ADMIN. */
  PENDING,
  /** Approved and in force. */
  ACTIVE,
  /** Denied by an ADMIN. */
  DENIED,
  /** Its time ran out (pending too long, or the granted duration ended), or it was superseded. */
  EXPIRED
}
