package io.botfleet.permission.domain;

import io.botfleet.common.error.BotfleetException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A request to raise a bot's tier, and what became of it.
 *
 * @param id its id
 * @param agentId the bot
 * @param botName the bot's name
 * @param oldTier the tier in force when it was asked for
 * @param newTier the tier asked for
 * @param reason why
 * @param requestedBy who asked (an operator's agent id)
 * @param requestedAt when
 * @param approvalDeadline a pending request expires then
 * @param duration how long it lasts once approved, or null (until the bot is assigned again)
 * @param state its state
 * @param decidedBy who approved or denied, or null
 * @param decidedAt when, or null
 * @param decisionNote the approver's or denier's note, or null
 * @param expiresAt when an approved escalation ends, or null
 * @param endedAt when it stopped being pending or active, or null
 */
public record Escalation(
    UUID id,
    String agentId,
    String botName,
    String oldTier,
    String newTier,
    String reason,
    String requestedBy,
    Instant requestedAt,
    Instant approvalDeadline,
    Duration duration,
    EscalationState state,
    String decidedBy,
    Instant decidedAt,
    String decisionNote,
    Instant expiresAt,
    Instant endedAt) {

  /**
   * Refuses an approval the rules forbid: by the requester (two people, always), of a request that
   * is no longer pending, or after its approval deadline. Nothing changes when it refuses.
   */
  public void requireApprovableBy(String approver, Instant now) {
    requireDecidable(now);
    if (approver.equals(requestedBy)) {
      throw BotfleetException.permissionDenied(
          "SELF_APPROVAL",
          "the requester of escalation " + id + " cannot approve it: a second ADMIN must");
    }
  }

  /** Refuses a decision on a request that is not pending or whose deadline has passed. */
  public void requireDecidable(Instant now) {
    if (state != EscalationState.PENDING) {
      throw BotfleetException.failedPrecondition(
          "ESCALATION_NOT_PENDING",
          "escalation " + id + " is " + state.name().toLowerCase() + ", not pending",
          Map.of("escalation_id", id.toString(), "state", state.name()));
    }
    if (!now.isBefore(approvalDeadline)) {
      throw BotfleetException.failedPrecondition(
          "ESCALATION_EXPIRED",
          "escalation " + id + " expired at " + approvalDeadline + " without a decision",
          Map.of("escalation_id", id.toString(), "approval_deadline", approvalDeadline.toString()));
    }
  }

  /** When an escalation approved at {@code approvedAt} ends, or null if it has no duration. */
  public Instant endWhenApprovedAt(Instant approvedAt) {
    return duration == null ? null : approvedAt.plus(duration);
  }
}
