package io.botfleet.permission.domain;

import io.botfleet.common.error.BotfleetException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The permissions of one bot: the guide's assignment record plus what is enforced on top of it.
 *
 * @param agentId the bot
 * @param botName its name
 * @param group its group, or null
 * @param role what it is for
 * @param exchange the exchange its key is for
 * @param baseTier the tier assigned
 * @param tier the tier in force (higher than the base while an escalation is active)
 * @param escalationId the active escalation, or null
 * @param escalationEndsAt when the active escalation ends, or null (none, or until reassigned)
 * @param restrictions its restrictions
 * @param assignedBy who assigned it (agent id)
 * @param assignedAt when
 * @param suspension the suspension in force, or null
 */
public record Assignment(
    String agentId,
    String botName,
    String group,
    BotRole role,
    String exchange,
    String baseTier,
    String tier,
    UUID escalationId,
    Instant escalationEndsAt,
    Restrictions restrictions,
    String assignedBy,
    Instant assignedAt,
    Suspension suspension) {

  /** The tier in force at {@code now}: an escalation that has ended no longer counts. */
  public String tierAt(Instant now) {
    return escalationEndsAt != null && !now.isBefore(escalationEndsAt) ? baseTier : tier;
  }

  /**
   * Refuses an escalation to {@code target} at {@code now}: FAILED_PRECONDITION if it is not higher
   * than the tier in force or another escalation is in force; PERMISSION_DENIED if the bot's role
   * may never hold it; INVALID_ARGUMENT (field new_tier) if the bot's exchange has no mapping for
   * it.
   */
  public void requireEscalationTo(TierDefinition target, TierCatalog catalog, Instant now) {
    TierDefinition current = catalog.get(tierAt(now));
    if (target.rank() <= current.rank()) {
      throw BotfleetException.failedPrecondition(
          "NOT_AN_ESCALATION",
          "bot "
              + agentId
              + " holds tier "
              + current.name()
              + "; "
              + target.name()
              + " is not higher",
          Map.of("agent_id", agentId, "tier", current.name()));
    }
    if (escalationId != null && (escalationEndsAt == null || now.isBefore(escalationEndsAt))) {
      throw BotfleetException.failedPrecondition(
          "ESCALATION_ACTIVE",
          "bot " + agentId + " is escalated already (" + escalationId + ")",
          Map.of("escalation_id", escalationId.toString()));
    }
    role.requireEscalatable(target);
    catalog.requireMapping(target, exchange, "new_tier");
  }

  /** What the bot holds at {@code now}: its tier's permissions minus its denied actions. */
  public List<String> permissionsAt(TierCatalog catalog, Instant now) {
    return catalog.get(tierAt(now)).permissions().stream()
        .filter(p -> !restrictions.deniedActions().contains(p))
        .toList();
  }

  /** The API key settings of the tier in force on the bot's exchange. */
  public Map<String, Object> exchangeConfigAt(TierCatalog catalog, Instant now) {
    return catalog.get(tierAt(now)).mappingFor(exchange).orElse(Map.of());
  }
}
