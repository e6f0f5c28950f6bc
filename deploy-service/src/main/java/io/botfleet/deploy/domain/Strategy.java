package io.botfleet.deploy.domain;

/** Rollout strategies. */
public enum Strategy {
  /** One canary, bake, then batches. */
  CANARY,
  /** Batches. */
  ROLLING,
  /** Everyone at once. */
  ALL_AT_ONCE
}
