package io.botfleet.identity.domain;

import io.botfleet.signing.VerifyingKey;
import java.util.List;

/**
 * The outcome of comparing our record of an identity with the GreenHelix registry.
 *
 * @param match the outcome
 * @param localPublicKey our current public key (base64), or empty
 * @param registryPublicKey the registry's public key as it sent it, or empty
 * @param message a short explanation for the operator
 */
public record RegistryCheck(
    RegistryMatch match, String localPublicKey, String registryPublicKey, String message) {

  /**
   * Compares the registry's key with ours. Keys are compared as bytes, so a registry that spells
   * base64 differently is not mistaken for tampering; a key we had before a rotation is outdated,
   * not tampered with (GreenHelix has no call that updates a registered key).
   *
   * @param current our current key, or null while pending enrollment
   * @param history every key version the identity ever had
   * @param registryKey the registry's key, or null if it holds none
   */
  public static RegistryCheck compare(
      VerifyingKey current, List<KeyVersion> history, String registryKey) {
    String local = current == null ? "" : current.base64();
    if (registryKey == null || registryKey.isBlank()) {
      return new RegistryCheck(
          current == null ? RegistryMatch.MATCH : RegistryMatch.MISMATCH,
          local,
          "",
          current == null
              ? "neither we nor the registry hold a key yet (pending enrollment)"
              : "the registry holds no public key for this identity: possible key tampering");
    }
    VerifyingKey remote;
    try {
      remote = VerifyingKey.fromBase64(registryKey);
    } catch (IllegalArgumentException e) {
      return new RegistryCheck(
          RegistryMatch.MISMATCH,
          local,
          registryKey,
          "the registry's public key is not a valid Ed25519 key: possible key tampering");
    }
    if (remote.equals(current)) {
      return new RegistryCheck(
          RegistryMatch.MATCH, local, registryKey, "the registry holds our current key");
    }
    for (KeyVersion version : history) {
      if (version.publicKey().equals(remote)) {
        return new RegistryCheck(
            RegistryMatch.OUTDATED,
            local,
            registryKey,
            "the registry holds key version "
                + version.version()
                + " of this identity, registered before a rotation; not tampering");
      }
    }
    return new RegistryCheck(
        RegistryMatch.MISMATCH,
        local,
        registryKey,
        "the registry's public key was never this identity's: possible key tampering");
  }
}
