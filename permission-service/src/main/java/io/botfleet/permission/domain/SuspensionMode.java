package io.botfleet.permission.domain;

import java.util.EnumSet;
import java.util.Set;

/** How far a suspended bot may still act. */
public enum SuspensionMode {
  /** Paused: reads, cancels and reduce-only orders only; nothing opens or grows a position. */
  PAUSED,
  /** Emergency-stopped: reads, cancels and reduce-only orders that close positions only. */
  STOPPED;

  /** The mode after suspending a bot in {@code current} mode (or none) with this one. */
  public SuspensionMode over(SuspensionMode current) {
    // An emergency stop is never weakened by a later pause.
    return current == STOPPED ? STOPPED : this;
  }

  /**
   * The modes an unsuspension lifts: a resume (PAUSED) lifts pauses only and must never undo an
   * emergency stop; STOPPED or no mode lifts both.
   */
  public static Set<SuspensionMode> liftedBy(SuspensionMode requested) {
    return requested == PAUSED ? EnumSet.of(PAUSED) : EnumSet.allOf(SuspensionMode.class);
  }
}
