package io.botfleet.sdk;

import io.botfleet.permission.v1.CheckPermissionResponse;
import io.botfleet.permission.v1.DecisionRule;
import java.util.Objects;

/**
 * The answer to a permission check: either permission-service's decision ({@link #decided()} true,
 * {@link #rule()} one of its {@code DecisionRule} names without the prefix, e.g. {@code ALLOWED},
 * {@code MAX_ORDER_SIZE}, {@code SUSPENDED_PAUSED}), or a denial by the SDK itself because no
 * decision could be had ({@link #decided()} false, {@link #rule()} one of the constants below). The
 * SDK fails closed: an undecided answer is never allowed.
 *
 * @param allowed true only if permission-service allowed the action
 * @param decided true if permission-service decided; false for the SDK's own denials
 * @param rule the rule that decided, or why there was no decision
 * @param reason a short text for logs, e.g. "order 6000 USD exceeds max_order_size_usd 5000"
 */
public record PermissionDecision(boolean allowed, boolean decided, String rule, String reason) {

  /** No decision: the check stream is down or reopening (after its backoff). */
  public static final String UNAVAILABLE = "UNAVAILABLE";

  /** No decision: no answer within the check's timeout. */
  public static final String TIMEOUT = "TIMEOUT";

  /** No decision: too many checks already wait for an answer ({@link PermissionChecks}). */
  public static final String TOO_MANY_IN_FLIGHT = "TOO_MANY_IN_FLIGHT";

  /** No decision: the client is not running (not started yet, closed, or its keys destroyed). */
  public static final String NOT_RUNNING = "NOT_RUNNING";

  /** No decision: the thread waiting in {@link PermissionChecks#checkAndWait} was interrupted. */
  public static final String INTERRUPTED = "INTERRUPTED";

  /** Checks that only a decision can allow. */
  public PermissionDecision {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(reason, "reason");
    if (allowed && !decided) {
      throw new IllegalArgumentException("only permission-service allows");
    }
  }

  /** permission-service's decision. */
  static PermissionDecision of(CheckPermissionResponse result) {
    DecisionRule rule = result.getRule();
    String name =
        rule == DecisionRule.UNRECOGNIZED
            ? "RULE_" + result.getRuleValue()
            : rule.name().substring("DECISION_RULE_".length());
    return new PermissionDecision(result.getAllowed(), true, name, result.getReason());
  }

  /** A denial by the SDK: no decision could be had. */
  static PermissionDecision undecided(String rule, String reason) {
    return new PermissionDecision(false, false, rule, reason);
  }
}
