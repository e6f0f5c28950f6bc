package io.botfleet.common.auth;

import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;

/**
 * The authenticated caller of a request.
 *
 * @param agentId its agent id
 * @param kind bot, operator or service
 * @param operatorRole its role, for operators
 * @param name its name (for services, the short service name such as "fleet")
 */
public record Principal(
    String agentId, PrincipalKind kind, OperatorRole operatorRole, String name) {

  /** True for a bot. */
  public boolean isBot() {
    return kind == PrincipalKind.PRINCIPAL_KIND_BOT;
  }

  /** True for an operator. */
  public boolean isOperator() {
    return kind == PrincipalKind.PRINCIPAL_KIND_OPERATOR;
  }

  /** True for a botfleet service. */
  public boolean isService() {
    return kind == PrincipalKind.PRINCIPAL_KIND_SERVICE;
  }

  /** True for an operator whose role is at least {@code role}. */
  public boolean hasRole(OperatorRole role) {
    return isOperator() && operatorRole.getNumber() >= role.getNumber();
  }

  /**
   * What it is, as a refusal names it: "a bot", "an operator with role VIEWER", "service fleet".
   */
  public String description() {
    return switch (kind) {
      case PRINCIPAL_KIND_BOT -> "a bot";
      case PRINCIPAL_KIND_OPERATOR ->
          "an operator with role " + operatorRole.name().replace("OPERATOR_ROLE_", "");
      case PRINCIPAL_KIND_SERVICE -> "service " + name;
      default -> "this principal";
    };
  }
}
