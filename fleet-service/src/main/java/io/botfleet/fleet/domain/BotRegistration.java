package io.botfleet.fleet.domain;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.Violations;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A RegisterBot request: the guide's fields, the permissions to assign and the idempotency key.
 *
 * @param name unique in the fleet
 * @param group group
 * @param exchange exchange
 * @param strategy strategy
 * @param version version
 * @param capabilities capabilities (default trading, metrics_reporting)
 * @param maxPositionUsd largest position, USD (default 10000)
 * @param metadata free-form metadata
 * @param tier permission tier (default TRADE)
 * @param restrictions restrictions for the tier
 * @param role trading_bot (default) or withdrawal_agent
 * @param standby a dormant standby of its group
 * @param enrollmentTtl how long the enrollment token is valid (default 1 hour)
 * @param requestId idempotency key
 */
public record BotRegistration(
    String name,
    String group,
    String exchange,
    String strategy,
    String version,
    List<String> capabilities,
    BigDecimal maxPositionUsd,
    Map<String, String> metadata,
    Tier tier,
    Restrictions restrictions,
    String role,
    boolean standby,
    Duration enrollmentTtl,
    String requestId) {

  /** The roles a bot may have. */
  public static final List<String> ROLES = List.of("trading_bot", "withdrawal_agent");

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}");
  private static final List<String> DEFAULT_CAPABILITIES = List.of("trading", "metrics_reporting");
  private static final BigDecimal DEFAULT_MAX_POSITION = new BigDecimal("10000");

  /** The guide's defaults for what was left empty. */
  public BotRegistration withDefaults() {
    return new BotRegistration(
        name,
        group,
        exchange,
        strategy,
        version,
        capabilities == null || capabilities.isEmpty() ? DEFAULT_CAPABILITIES : capabilities,
        maxPositionUsd == null ? DEFAULT_MAX_POSITION : maxPositionUsd,
        metadata == null ? Map.of() : metadata,
        tier == null ? Tier.TRADE : tier,
        restrictions == null ? Restrictions.NONE : restrictions,
        role == null || role.isBlank() ? "trading_bot" : role,
        standby,
        enrollmentTtl == null ? Duration.ofHours(1) : enrollmentTtl,
        requestId);
  }

  /**
   * Throws INVALID_ARGUMENT naming every malformed field, or PERMISSION_DENIED for a tier that is
   * never given at registration (withdraw and admin come only through an approved escalation).
   */
  public void check() {
    Violations violations = new Violations();
    violations.require(
        name != null && NAME.matcher(name).matches(),
        "name",
        "must be 1 to 64 of [a-z0-9._-], starting with a letter or digit");
    label(violations, "group", group);
    label(violations, "exchange", exchange);
    label(violations, "strategy", strategy);
    label(violations, "version", version);
    violations.require(capabilities.size() <= 32, "capabilities", "at most 32 entries");
    for (String capability : capabilities) {
      violations.require(
          capability != null && NAME.matcher(capability).matches(),
          "capabilities",
          "each must be 1 to 64 of [a-z0-9._-], got " + capability);
    }
    violations.require(maxPositionUsd.signum() > 0, "max_position_usd", "must be greater than 0");
    violations.require(metadata.size() <= 32, "metadata", "at most 32 entries");
    metadata.forEach(
        (key, value) ->
            violations.require(
                key.length() <= 64 && value.length() <= 1024,
                "metadata[" + key + "]",
                "keys at most 64 and values at most 1024 characters"));
    violations.require(
        ROLES.contains(role), "role", "must be trading_bot or withdrawal_agent, got " + role);
    violations.require(
        !enrollmentTtl.isNegative()
            && enrollmentTtl.compareTo(Duration.ofMinutes(1)) >= 0
            && enrollmentTtl.compareTo(Duration.ofDays(7)) <= 0,
        "enrollment_ttl",
        "must be between 1 minute and 7 days");
    violations.require(
        requestId != null && !requestId.isBlank() && requestId.length() <= 128,
        "request_id",
        "is required (1 to 128 characters): it makes a retried registration safe");
    violations.throwIfAny();
    if (tier == Tier.WITHDRAW || tier == Tier.ADMIN) {
      throw BotfleetException.permissionDenied(
          "TIER_NEEDS_ESCALATION",
          "tier "
              + tier.guideName()
              + " is never given at registration: register with read_only or trade, then request"
              + " an escalation that a second admin approves");
    }
  }

  private static void label(Violations violations, String field, String value) {
    violations.require(
        value != null && LABEL.matcher(value).matches(),
        field,
        "is required: 1 to 64 of [A-Za-z0-9._:/-], starting with a letter or digit");
  }
}
