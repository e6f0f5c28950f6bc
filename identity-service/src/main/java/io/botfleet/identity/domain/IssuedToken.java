package io.botfleet.identity.domain;

import java.time.Instant;

/**
 * An enrollment token as issued: the only time the token itself exists outside the caller.
 *
 * @param token the token ({@code bfe_…})
 * @param agentId the identity it enrolls
 * @param name that identity's name (the token is scoped to it)
 * @param group that identity's group (the token is scoped to it), or null
 * @param expiresAt when it expires
 */
public record IssuedToken(
    String token, String agentId, String name, String group, Instant expiresAt) {

  @Override
  public String toString() {
    return "IssuedToken[agentId=" + agentId + ", token=<redacted>, expiresAt=" + expiresAt + "]";
  }
}
