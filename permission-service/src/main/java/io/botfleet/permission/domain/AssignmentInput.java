package io.botfleet.permission.domain;

import io.botfleet.common.error.Violations;
import java.util.regex.Pattern;

/**
 * An AssignPermissions request as asked, before it is checked.
 *
 * @param agentId the bot
 * @param botName its name
 * @param group its group, or ""
 * @param role its role name, "" for trading_bot
 * @param exchange the exchange
 * @param tier the tier name, "" if unset
 * @param restrictions the restrictions as written
 * @param requestId idempotency key, or ""
 */
public record AssignmentInput(
    String agentId,
    String botName,
    String group,
    String role,
    String exchange,
    String tier,
    RestrictionsInput restrictions,
    String requestId) {

  private static final Pattern EXCHANGE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

  /**
   * Checks the request against the catalog: INVALID_ARGUMENT naming every malformed field, an
   * unknown tier, an exchange without a mapping for the tier, or restrictions that are malformed or
   * contradict the tier; PERMISSION_DENIED for a tier the role may not be assigned.
   *
   * @return the role and the validated restrictions
   */
  public Checked check(TierCatalog catalog) {
    Violations violations = new Violations();
    violations.require(
        !agentId.isEmpty() && agentId.length() <= 128, "agent_id", "is required (1 to 128)");
    violations.require(
        !botName.isEmpty() && botName.length() <= 64, "bot_name", "is required (1 to 64)");
    violations.require(group.length() <= 64, "group", "at most 64 characters");
    violations.require(
        EXCHANGE.matcher(exchange).matches(),
        "exchange",
        "must be an exchange name such as binance or okx, got \"" + exchange + "\"");
    violations.require(
        catalog.find(tier).isPresent(),
        "tier",
        tier.isEmpty() ? "is required" : "unknown tier " + tier);
    violations.require(requestId.length() <= 128, "request_id", "at most 128 characters");
    violations.throwIfAny();
    BotRole botRole = BotRole.parse(role, "role");
    TierDefinition definition = catalog.get(tier);
    // The guardrail first: its answer does not depend on the rest of the request.
    botRole.requireAssignable(definition);
    catalog.requireMapping(definition, exchange, "exchange");
    Restrictions validated = restrictions.validate(definition, catalog.actions(), "restrictions");
    return new Checked(botRole, definition, validated);
  }

  /**
   * A request that passed the checks.
   *
   * @param role the role
   * @param tier the tier
   * @param restrictions the restrictions
   */
  public record Checked(BotRole role, TierDefinition tier, Restrictions restrictions) {}
}
