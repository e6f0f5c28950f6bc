package io.botfleet.identity.domain;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Agent ids: the kind's prefix and 16 random hex digits ({@code bot-3f9a1c2b7d4e8f01}), or for
 * services {@code svc-<name>}. Random, so an id never reveals or reuses a name, and a revoked id is
 * never handed out again.
 */
public final class AgentIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private AgentIds() {}

  /** A new random id of a kind (not for services). */
  public static String newId(Kind kind) {
    if (kind == Kind.SERVICE) {
      throw new IllegalArgumentException("services have fixed ids: use forService(name)");
    }
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    return kind.idPrefix() + HexFormat.of().formatHex(random);
  }

  /** The id of a botfleet service. */
  public static String forService(String name) {
    return Kind.SERVICE.idPrefix() + name;
  }
}
