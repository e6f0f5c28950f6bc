package io.botfleet.deploy.domain;

import java.time.Duration;

/** One step of a rollout plan, in the shape Argo Rollouts users know. */
public sealed interface RolloutStep {

  /** The role sent in update_version for the first bot(s) of a canary rollout. */
  String CANARY = "canary";

  /** The role sent in update_version for every other bot. */
  String ROLLING = "rolling";

  /**
   * Update the next bots: {@code count} of them, or {@code percent} of the selected bots (rounded
   * up). Exactly one of the two is positive.
   *
   * @param count bots, or 0
   * @param percent percent of the selected bots, or 0
   * @param role sent in update_version: {@link #CANARY} or {@link #ROLLING}
   */
  record Update(int count, int percent, String role) implements RolloutStep {

    /** Bots this step updates out of {@code selected}. */
    public int size(int selected) {
      return count > 0 ? count : Math.max(1, (int) Math.ceil(selected * percent / 100.0));
    }

    /** True if this step updates canaries. */
    public boolean canary() {
      return CANARY.equals(role);
    }
  }

  /**
   * Wait for a duration, or (duration null) until an operator promotes with ResumeDeployment.
   *
   * @param duration how long, or null
   */
  record Pause(Duration duration) implements RolloutStep {}

  /**
   * Judge every bot updated so far against the rest of its group.
   *
   * @param duration how long to observe
   * @param margins the margins
   */
  record Analysis(Duration duration, GateMargins margins) implements RolloutStep {}
}
