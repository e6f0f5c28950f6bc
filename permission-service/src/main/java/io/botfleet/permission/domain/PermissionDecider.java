package io.botfleet.permission.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;

/**
 * Decides one permission check: a pure function of the bot's policy, the action, its context and
 * the time, so every rule can be tested without a database or a network. Deny by default: an
 * unknown bot, an unknown action, or a restriction whose context is missing denies.
 *
 * <p>The rules, in the order they are applied (the first that denies decides):
 *
 * <ol>
 *   <li>UNKNOWN_BOT, UNKNOWN_ACTION;
 *   <li>TIER: the tier in force grants the action (an escalation past its end no longer counts);
 *   <li>DENIED_ACTION: the action is not in the bot's denied_actions;
 *   <li>EXCHANGE: a given exchange is the bot's (orders must give it);
 *   <li>SUSPENDED_PAUSED / SUSPENDED_STOPPED: a suspended bot may only observe (the read_only
 *       tier's actions), cancel orders, and send reduce-only orders; when stopped, only reduce-only
 *       orders that close the position (position after the order 0);
 *   <li>for orders: ALLOWED_PAIRS / ALLOWED_INSTRUMENTS, MAX_ORDER_SIZE, MAX_POSITION (not for
 *       reduce-only orders, which cannot grow a position), MAX_DELTA_EXPOSURE. A closing order of a
 *       stopped bot is held to the market lists only: a size or delta limit must never keep an
 *       emergency stop from flattening a position.
 * </ol>
 */
public final class PermissionDecider {

  private final Set<String> knownActions;
  private final Set<String> observingActions;

  /**
   * @param knownActions every action some tier grants
   * @param observingActions what a suspended bot may still do besides cancelling and reducing (the
   *     lowest tier's permissions: reads, metrics, receiving commands)
   */
  public PermissionDecider(Set<String> knownActions, Set<String> observingActions) {
    this.knownActions = Set.copyOf(knownActions);
    this.observingActions = Set.copyOf(observingActions);
  }

  /** A decider for a catalog. */
  public static PermissionDecider of(TierCatalog catalog) {
    return new PermissionDecider(
        catalog.actions(), Set.copyOf(catalog.tiers().get(0).permissions()));
  }

  /**
   * Decides.
   *
   * @param bot the bot's policy, or null if it has no permissions here
   * @param action the abstract permission asked for
   * @param context what the action is done on
   * @param now the time of the check
   */
  public Decision decide(BotPolicy bot, String action, CheckContext context, Instant now) {
    if (bot == null) {
      return Decision.deny(DecisionRule.UNKNOWN_BOT, "the bot has no permissions");
    }
    if (!knownActions.contains(action)) {
      return Decision.deny(DecisionRule.UNKNOWN_ACTION, "unknown action " + action);
    }
    boolean ended = bot.escalationEnded(now);
    String tier = ended ? bot.baseTier() : bot.tier();
    if (!(ended ? bot.baseGranted() : bot.granted()).contains(action)) {
      return Decision.deny(DecisionRule.TIER, "tier " + tier + " does not grant " + action);
    }
    if (bot.denied().contains(action)) {
      return Decision.deny(DecisionRule.DENIED_ACTION, action + " is in the bot's denied_actions");
    }
    boolean order = Actions.isOrder(action);
    if (context.exchange().isEmpty()) {
      if (order) {
        return missing("exchange", "an order must name its exchange");
      }
    } else if (!context.exchange().equals(bot.exchange())) {
      return Decision.deny(
          DecisionRule.EXCHANGE,
          "the bot's key is for " + bot.exchange() + ", not " + context.exchange());
    }
    if (bot.suspension() != null) {
      Decision suspended = suspension(bot.suspension(), action, order, context);
      if (suspended != null) {
        return suspended;
      }
    }
    if (order) {
      Decision limited = orderLimits(bot, context);
      if (limited != null) {
        return limited;
      }
    }
    return Decision.allow("tier " + tier + " grants " + action);
  }

  private Decision suspension(
      SuspensionMode mode, String action, boolean order, CheckContext context) {
    if (observingActions.contains(action) || Actions.CANCEL_ORDER.equals(action)) {
      return null;
    }
    DecisionRule rule =
        mode == SuspensionMode.STOPPED
            ? DecisionRule.SUSPENDED_STOPPED
            : DecisionRule.SUSPENDED_PAUSED;
    String state = mode == SuspensionMode.STOPPED ? "emergency-stopped" : "paused";
    if (!order) {
      return Decision.deny(rule, "the bot is " + state + ": " + action + " is suspended");
    }
    if (!context.reduceOnly()) {
      return Decision.deny(
          rule, "the bot is " + state + ": only reduce-only orders, nothing that opens a position");
    }
    if (mode == SuspensionMode.STOPPED) {
      if (context.positionAfterUsd() == null) {
        return missing("position_after_usd", "an emergency-stopped bot may only close positions");
      }
      if (context.positionAfterUsd().signum() != 0) {
        return Decision.deny(
            rule,
            "the bot is emergency-stopped: only orders that close the position (position after"
                + " the order "
                + context.positionAfterUsd().toPlainString()
                + " USD, must be 0)");
      }
    }
    return null;
  }

  private Decision orderLimits(BotPolicy bot, CheckContext context) {
    Decision market = markets(bot, context);
    if (market != null) {
      return market;
    }
    if (bot.suspension() == SuspensionMode.STOPPED) {
      return null;
    }
    BigDecimal maxOrder = bot.maxOrderSizeUsd();
    if (maxOrder != null) {
      if (context.orderSizeUsd() == null) {
        return missing("order_size_usd", "max_order_size_usd applies");
      }
      if (context.orderSizeUsd().compareTo(maxOrder) > 0) {
        return Decision.deny(
            DecisionRule.MAX_ORDER_SIZE,
            "order "
                + context.orderSizeUsd().toPlainString()
                + " USD exceeds max_order_size_usd "
                + maxOrder.toPlainString());
      }
    }
    BigDecimal maxPosition = bot.maxPositionUsd();
    if (maxPosition != null && !context.reduceOnly()) {
      if (context.positionAfterUsd() == null) {
        return missing("position_after_usd", "max_position_usd applies");
      }
      if (context.positionAfterUsd().compareTo(maxPosition) > 0) {
        return Decision.deny(
            DecisionRule.MAX_POSITION,
            "position after the order "
                + context.positionAfterUsd().toPlainString()
                + " USD exceeds max_position_usd "
                + maxPosition.toPlainString());
      }
    }
    BigDecimal maxDelta = bot.maxDeltaExposure();
    if (maxDelta != null) {
      if (context.deltaAfter() == null) {
        return missing("delta_after", "max_delta_exposure applies");
      }
      if (context.deltaAfter().abs().compareTo(maxDelta) > 0) {
        return Decision.deny(
            DecisionRule.MAX_DELTA_EXPOSURE,
            "delta after the order "
                + context.deltaAfter().toPlainString()
                + " is beyond max_delta_exposure "
                + maxDelta.toPlainString());
      }
    }
    return null;
  }

  /**
   * The pair and instrument lists. A given identifier is checked against its list when that list is
   * set; at least one identifier must be checked when any list is set.
   */
  private static Decision markets(BotPolicy bot, CheckContext context) {
    boolean pairsSet = !bot.allowedPairs().isEmpty();
    boolean instrumentsSet = !bot.allowedInstruments().isEmpty();
    if (!pairsSet && !instrumentsSet) {
      return null;
    }
    boolean pairChecked = pairsSet && !context.pair().isEmpty();
    boolean instrumentChecked = instrumentsSet && !context.instrument().isEmpty();
    if (pairChecked && !bot.allowedPairs().contains(context.pair())) {
      return Decision.deny(
          DecisionRule.ALLOWED_PAIRS, "pair " + context.pair() + " is not in allowed_pairs");
    }
    if (instrumentChecked && !matchesAny(bot, context.instrument())) {
      return Decision.deny(
          DecisionRule.ALLOWED_INSTRUMENTS,
          "instrument " + context.instrument() + " matches no allowed_instruments pattern");
    }
    if (pairChecked || instrumentChecked) {
      return null;
    }
    if (pairsSet && instrumentsSet) {
      return missing("pair or context.instrument", "allowed_pairs and allowed_instruments apply");
    }
    return pairsSet
        ? missing("pair", "allowed_pairs applies")
        : missing("instrument", "allowed_instruments applies");
  }

  private static boolean matchesAny(BotPolicy bot, String instrument) {
    String[] segments = InstrumentPattern.segmentsOf(instrument);
    for (InstrumentPattern pattern : bot.allowedInstruments()) {
      if (pattern.matches(segments)) {
        return true;
      }
    }
    return false;
  }

  private static Decision missing(String field, String why) {
    return Decision.deny(DecisionRule.MISSING_CONTEXT, "context." + field + " is required: " + why);
  }
}
