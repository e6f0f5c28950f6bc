package io.botfleet.deploy.domain;

/** State of one bot within a deployment. */
public enum BotDeploymentState {
  /** Not yet reached (or reached and left alone: see its message). */
  WAITING,
  /** Stateful group: paused, waiting for open_orders to reach 0 before its update. */
  DRAINING,
  /** update_version decided (and sent, once its command id is recorded). */
  UPDATING,
  /** Acknowledged the update and then heartbeated with the new version. */
  UPDATED,
  /** Refused or failed the update, or never received it. */
  FAILED,
  /** rollback_version decided (and sent, once its command id is recorded). */
  ROLLING_BACK,
  /** Acknowledged the rollback and then heartbeated with its previous version. */
  ROLLED_BACK,
  /** Left out: a standby, already on the version, or not active when its batch came. */
  SKIPPED;

  /** True while the bot takes one of the deployment's "unavailable" slots. */
  public boolean inFlight() {
    return this == DRAINING || this == UPDATING;
  }
}
