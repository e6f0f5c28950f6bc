package io.botfleet.permission.domain;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.InvalidArgumentException;

/**
 * What a bot is for. The guide's policy: no trading bot holds withdraw (or admin); withdrawals
 * belong to a dedicated agent, with human approval.
 */
public enum BotRole {
  /** A bot that trades (the guide's default role). */
  TRADING_BOT("trading_bot"),
  /** A dedicated identity that may withdraw, and only through an approved escalation. */
  WITHDRAWAL_AGENT("withdrawal_agent");

  private final String wireName;

  BotRole(String wireName) {
    this.wireName = wireName;
  }

  /** The name the API and the events use. */
  public String wireName() {
    return wireName;
  }

  /** The role of a name; blank means trading_bot. INVALID_ARGUMENT for anything else. */
  public static BotRole parse(String name, String field) {
    if (name == null || name.isEmpty()) {
      return TRADING_BOT;
    }
    for (BotRole role : values()) {
      if (role.wireName.equals(name)) {
        return role;
      }
    }
    throw new InvalidArgumentException(
        field, "must be trading_bot or withdrawal_agent, got " + name);
  }

  /**
   * Refuses a tier this role may not be assigned. A privileged tier (withdraw, admin) is never
   * assigned directly: a trading bot may never hold it, a withdrawal agent only through an approved
   * escalation.
   */
  public void requireAssignable(TierDefinition tier) {
    if (!tier.isPrivileged()) {
      return;
    }
    if (this == TRADING_BOT) {
      throw tradingBotRefused(tier);
    }
    throw BotfleetException.permissionDenied(
        "PRIVILEGED_TIER_ONLY_BY_ESCALATION",
        "tier "
            + tier.name()
            + " is never assigned directly: assign a lower tier and request an escalation, which a"
            + " second ADMIN must approve");
  }

  /** Refuses an escalation to a tier this role may never hold. */
  public void requireEscalatable(TierDefinition tier) {
    if (tier.isPrivileged() && this == TRADING_BOT) {
      throw tradingBotRefused(tier);
    }
  }

  private static BotfleetException tradingBotRefused(TierDefinition tier) {
    return BotfleetException.permissionDenied(
        "TRADING_BOT_PRIVILEGED_TIER",
        "a trading_bot can never hold tier "
            + tier.name()
            + " (it moves funds or administers the account): only a withdrawal_agent identity can,"
            + " through an approved escalation");
  }
}
