package io.botfleet.permission.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One bot's assignment, prepared for checks: the permissions of the tier in force and of the base
 * tier as sets, the denied actions removed at decision time, the restrictions parsed. Built once
 * per change, read by every check.
 *
 * @param agentId the bot
 * @param exchange its exchange
 * @param tier the tier in force
 * @param granted what that tier grants
 * @param baseTier the tier assigned
 * @param baseGranted what the base tier grants
 * @param escalationEndsAt when an active escalation ends (then the base tier applies), or null
 * @param denied denied actions
 * @param restrictions the restrictions
 * @param allowedPairs allowed pairs as a set
 * @param suspension the suspension mode in force, or null
 */
public record BotPolicy(
    String agentId,
    String exchange,
    String tier,
    Set<String> granted,
    String baseTier,
    Set<String> baseGranted,
    Instant escalationEndsAt,
    Set<String> denied,
    Restrictions restrictions,
    Set<String> allowedPairs,
    SuspensionMode suspension) {

  /** The policy of an assignment. */
  public static BotPolicy of(Assignment assignment, TierCatalog catalog) {
    return new BotPolicy(
        assignment.agentId(),
        assignment.exchange(),
        assignment.tier(),
        Set.copyOf(catalog.get(assignment.tier()).permissions()),
        assignment.baseTier(),
        Set.copyOf(catalog.get(assignment.baseTier()).permissions()),
        assignment.escalationEndsAt(),
        Set.copyOf(assignment.restrictions().deniedActions()),
        assignment.restrictions(),
        Set.copyOf(new HashSet<>(assignment.restrictions().allowedPairs())),
        assignment.suspension() == null ? null : assignment.suspension().mode());
  }

  /** True once an escalation with an end has run out at {@code now}: the base tier applies. */
  boolean escalationEnded(Instant now) {
    return escalationEndsAt != null && !now.isBefore(escalationEndsAt);
  }

  BigDecimal maxOrderSizeUsd() {
    return restrictions.maxOrderSizeUsd();
  }

  BigDecimal maxPositionUsd() {
    return restrictions.maxPositionUsd();
  }

  BigDecimal maxDeltaExposure() {
    return restrictions.maxDeltaExposure();
  }

  List<InstrumentPattern> allowedInstruments() {
    return restrictions.allowedInstruments();
  }
}
