package io.botfleet.identity.domain;

import io.botfleet.common.error.Violations;
import io.botfleet.signing.VerifyingKey;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What is asked to be registered, checked against the rules: a valid name and organization, a role
 * for operators and only for them, a positive position limit, bounded metadata.
 *
 * @param name unique within the organization
 * @param organization the organization
 * @param kind bot, operator or service
 * @param operatorRole operators only
 * @param role the guide's role (default trading_bot for bots)
 * @param fleetManager agent id of the registering fleet manager
 * @param group bot group
 * @param exchange exchange
 * @param strategy strategy
 * @param version version
 * @param capabilities capabilities
 * @param maxPositionUsd largest position, USD
 * @param metadata free-form metadata
 * @param publicKey the principal's own public key, or null to enroll later
 * @param description free text for GreenHelix
 * @param requestId idempotency key
 */
public record Registration(
    String name,
    String organization,
    Kind kind,
    OperatorRole operatorRole,
    String role,
    String fleetManager,
    String group,
    String exchange,
    String strategy,
    String version,
    List<String> capabilities,
    BigDecimal maxPositionUsd,
    Map<String, String> metadata,
    VerifyingKey publicKey,
    String description,
    String requestId) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern ORGANIZATION = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final List<String> DEFAULT_BOT_CAPABILITIES =
      List.of("trading", "metrics_reporting");
  private static final BigDecimal DEFAULT_MAX_POSITION = new BigDecimal("10000");

  /** The guide's defaults for what was left empty. */
  public Registration withDefaults() {
    boolean bot = kind == Kind.BOT;
    return new Registration(
        name,
        organization,
        kind,
        operatorRole,
        role == null || role.isBlank() ? defaultRole(kind) : role,
        fleetManager,
        group,
        exchange,
        strategy,
        version,
        capabilities.isEmpty() && bot ? DEFAULT_BOT_CAPABILITIES : capabilities,
        maxPositionUsd == null && bot ? DEFAULT_MAX_POSITION : maxPositionUsd,
        metadata,
        publicKey,
        description,
        requestId);
  }

  /** Throws INVALID_ARGUMENT naming every field that breaks a rule. */
  public void check() {
    Violations violations = new Violations();
    violations.require(
        name != null && NAME.matcher(name).matches(),
        "name",
        "must be 1 to 64 of [a-z0-9._-], starting with a letter or digit");
    violations.require(
        organization != null && ORGANIZATION.matcher(organization).matches(),
        "organization",
        "must be 1 to 64 of [a-z0-9-], starting with a letter or digit");
    violations.require(kind != null, "kind", "must be BOT, OPERATOR or SERVICE");
    if (kind == Kind.OPERATOR) {
      violations.require(operatorRole != null, "operator_role", "is required for operators");
    } else {
      violations.require(operatorRole == null, "operator_role", "is only for operators");
    }
    if (maxPositionUsd != null) {
      violations.require(maxPositionUsd.signum() > 0, "max_position_usd", "must be greater than 0");
    }
    violations.require(metadata.size() <= 32, "metadata", "at most 32 entries");
    metadata.forEach(
        (key, value) -> {
          violations.require(key.length() <= 64, "metadata", "keys are at most 64 characters");
          violations.require(
              value.length() <= 1024, "metadata[" + key + "]", "at most 1024 characters");
        });
    violations.require(
        requestId == null || requestId.length() <= 128, "request_id", "at most 128 characters");
    violations.throwIfAny();
  }

  private static String defaultRole(Kind kind) {
    return switch (kind) {
      case BOT -> "trading_bot";
      case OPERATOR -> "operator";
      case SERVICE -> "service";
    };
  }
}
