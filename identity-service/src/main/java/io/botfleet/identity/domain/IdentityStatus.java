package io.botfleet.identity.domain;

/** Lifecycle of an identity. */
public enum IdentityStatus {
  /** Waiting for its owner to enroll a public key. */
  PENDING_ENROLLMENT,
  /** Has a current key. */
  ACTIVE,
  /** Revoked for good. */
  REVOKED
}
