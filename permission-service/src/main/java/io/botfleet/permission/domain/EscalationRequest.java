package io.botfleet.permission.domain;

import io.botfleet.common.error.Violations;
import java.time.Duration;

/**
 * A request to raise a bot's tier, as asked, before it is checked against the bot.
 *
 * @param agentId the bot
 * @param newTier the tier asked for (a name; "" if unset)
 * @param reason why (required)
 * @param duration how long it lasts once approved, or null for "until the bot is assigned again"
 * @param approvalTimeout how long it waits for a decision, or null for the default
 */
public record EscalationRequest(
    String agentId, String newTier, String reason, Duration duration, Duration approvalTimeout) {

  /** Shortest and longest escalation. */
  public static final Duration MIN_DURATION = Duration.ofMinutes(1);

  /** Longest escalation. */
  public static final Duration MAX_DURATION = Duration.ofDays(30);

  /** Shortest wait for a decision. */
  public static final Duration MIN_APPROVAL_TIMEOUT = Duration.ofMinutes(1);

  /** Longest wait for a decision. */
  public static final Duration MAX_APPROVAL_TIMEOUT = Duration.ofDays(7);

  /** Wait for a decision when none is asked for. */
  public static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofHours(24);

  /** INVALID_ARGUMENT naming every field at fault. */
  public void check(TierCatalog catalog) {
    Violations violations = new Violations();
    violations.require(!agentId.isEmpty(), "agent_id", "is required");
    violations.require(
        catalog.find(newTier).isPresent(),
        "new_tier",
        newTier.isEmpty() ? "is required" : "unknown tier " + newTier);
    violations.require(!reason.isBlank(), "reason", "is required: say why the bot needs it");
    violations.require(reason.length() <= 1000, "reason", "at most 1000 characters");
    if (duration != null) {
      violations.require(
          within(duration, MIN_DURATION, MAX_DURATION),
          "duration",
          "must be between 1 minute and 30 days, or unset for no end");
    }
    if (approvalTimeout != null) {
      violations.require(
          within(approvalTimeout, MIN_APPROVAL_TIMEOUT, MAX_APPROVAL_TIMEOUT),
          "approval_timeout",
          "must be between 1 minute and 7 days (default 24 hours)");
    }
    violations.throwIfAny();
  }

  /** The approval timeout asked for, or the default. */
  public Duration approvalTimeoutOrDefault() {
    return approvalTimeout == null ? DEFAULT_APPROVAL_TIMEOUT : approvalTimeout;
  }

  private static boolean within(Duration value, Duration min, Duration max) {
    return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
  }
}
