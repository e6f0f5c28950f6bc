package io.botfleet.identity.domain;

/** What one key version may still do. */
public enum KeyStatus {
  /** Signs and verifies requests. */
  CURRENT,
  /** Registered during a rotation; verifies requests until the rotation completes. */
  NEXT,
  /** Replaced; verifies historical signatures only. */
  RETIRED,
  /** Revoked with its identity. */
  REVOKED;

  /** True if requests signed with it are accepted. */
  public boolean acceptsRequests() {
    return this == CURRENT || this == NEXT;
  }
}
