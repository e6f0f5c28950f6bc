package io.botfleet.permission.domain;

/**
 * The outcome of a permission check.
 *
 * @param allowed true if the bot may do the action
 * @param rule the rule that decided
 * @param reason a short explanation for people and logs
 */
public record Decision(boolean allowed, DecisionRule rule, String reason) {

  static Decision allow(String reason) {
    return new Decision(true, DecisionRule.ALLOWED, reason);
  }

  static Decision deny(DecisionRule rule, String reason) {
    return new Decision(false, rule, reason);
  }
}
