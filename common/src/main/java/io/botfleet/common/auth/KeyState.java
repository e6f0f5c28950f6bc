package io.botfleet.common.auth;

/** What a key version may still do. */
public enum KeyState {
  /** Signs and verifies requests. */
  CURRENT,
  /** Registered during a rotation: verifies requests too, until the rotation completes. */
  NEXT,
  /** Replaced: verifies only historical signatures (never requests). */
  RETIRED,
  /** Revoked: verifies nothing. */
  REVOKED;

  /** True if a request signed with a key in this state is accepted. */
  public boolean acceptsRequests() {
    return this == CURRENT || this == NEXT;
  }
}
