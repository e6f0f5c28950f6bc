package io.botfleet.deploy.domain;

/** Why a deployment is paused; decides what ResumeDeployment does. */
public enum PauseCause {
  /** An operator paused it: resume continues the current step. */
  OPERATOR,
  /** A step missed its progress deadline: resume continues the step with a fresh deadline. */
  DEADLINE,
  /** An analysis was inconclusive: resume accepts it (the human judged) and moves on. */
  INCONCLUSIVE,
  /** A pause step without a duration: resume promotes past it. */
  PROMOTION;

  /** True if resuming moves past the current step. */
  public boolean resumePromotes() {
    return this == INCONCLUSIVE || this == PROMOTION;
  }
}
