package io.botfleet.fleet.domain;

import io.botfleet.common.error.Violations;
import java.time.Instant;

/**
 * Operational policy of a bot group.
 *
 * @param group the group
 * @param failoverMode manual or automatic
 * @param stateful the replacement reconciles positions first (options market makers)
 * @param minHealthyShare automatic failover only while at least this share of the fleet is alive
 * @param updatedAt when it was last changed (null for the defaults)
 * @param updatedBy by whom (empty for the defaults)
 */
public record GroupPolicy(
    String group,
    FailoverMode failoverMode,
    boolean stateful,
    double minHealthyShare,
    Instant updatedAt,
    String updatedBy) {

  /** The share used when none is set. */
  public static final double DEFAULT_MIN_HEALTHY_SHARE = 0.8;

  /** The policy of a group that has none: manual failover, stateless. */
  public static GroupPolicy defaults(String group) {
    return new GroupPolicy(group, FailoverMode.MANUAL, false, DEFAULT_MIN_HEALTHY_SHARE, null, "");
  }

  /** INVALID_ARGUMENT naming each malformed field. */
  public void check() {
    new Violations()
        .require(
            group != null && !group.isBlank() && group.length() <= 64,
            "policy.group",
            "is required (1 to 64 characters)")
        .require(
            minHealthyShare > 0 && minHealthyShare <= 1,
            "policy.min_healthy_share",
            "must be greater than 0 and at most 1 (unset means 0.8)")
        .throwIfAny();
  }
}
