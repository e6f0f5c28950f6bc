package io.botfleet.signing;

import java.util.Objects;

/**
 * Who signs: an agent id, the version of its key, and the key.
 *
 * @param agentId the agent id, e.g. {@code bot-3f9a1c2b7d4e8f01}
 * @param keyVersion the key version, from 1
 * @param key the private key
 */
public record Credentials(String agentId, int keyVersion, SigningKey key) {

  /** Checks the fields. */
  public Credentials {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(key, "key");
    if (agentId.isBlank()) {
      throw new IllegalArgumentException("agentId is blank");
    }
    if (keyVersion < 1) {
      throw new IllegalArgumentException("keyVersion must be >= 1, got " + keyVersion);
    }
  }
}
