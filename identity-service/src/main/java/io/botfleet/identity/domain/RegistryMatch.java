package io.botfleet.identity.domain;

/** How our record of an identity's key compares with the GreenHelix registry. */
public enum RegistryMatch {
  /** The registry holds our current key. */
  MATCH,
  /** The registry holds a key this identity never had: possible key tampering. */
  MISMATCH,
  /** GreenHelix does not know the identity. */
  NOT_REGISTERED,
  /** GreenHelix is disabled; nothing was compared. */
  REGISTRY_DISABLED,
  /** The registry holds an earlier version of this identity's key (rotated since). */
  OUTDATED
}
