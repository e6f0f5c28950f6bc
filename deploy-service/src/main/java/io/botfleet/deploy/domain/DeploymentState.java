package io.botfleet.deploy.domain;

/** States of the deployment state machine. */
public enum DeploymentState {
  /** Created, not started. */
  PENDING,
  /** Updating and baking the canary. */
  CANARY,
  /** Updating the other bots in batches. */
  ROLLING,
  /** Done. */
  COMPLETE,
  /** Waiting for an operator. */
  PAUSED,
  /** Returning updated bots to their previous version. */
  ROLLING_BACK,
  /** Rolled back. */
  ROLLED_BACK,
  /** Stopped by an operator. */
  ABORTED,
  /** Needs a human. */
  FAILED;

  /** True once the deployment can never move again. */
  public boolean terminal() {
    return this == COMPLETE || this == ROLLED_BACK || this == ABORTED || this == FAILED;
  }
}
