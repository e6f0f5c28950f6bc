package io.botfleet.identity.domain;

/**
 * Who causes a change: the authenticated caller, or identity-service itself (deadlines).
 *
 * @param agentId the caller's agent id, or {@code system}
 * @param kind its kind; null for the system
 * @param operatorRole its role (operators), else null
 * @param keyVersion the key version its request was signed with; 0 for the system
 */
public record Actor(String agentId, Kind kind, OperatorRole operatorRole, int keyVersion) {

  /** identity-service acting on its own (the actor recorded in the audit trail). */
  public static final Actor SYSTEM = new Actor("system", null, null, 0);

  /** True for a bot. */
  public boolean isBot() {
    return kind == Kind.BOT;
  }

  /** True for an ADMIN operator. */
  public boolean isAdmin() {
    return kind == Kind.OPERATOR && operatorRole == OperatorRole.ADMIN;
  }
}
