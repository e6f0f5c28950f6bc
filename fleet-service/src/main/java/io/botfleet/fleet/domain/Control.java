package io.botfleet.fleet.domain;

/**
 * What the operator last told a bot to be, apart from whether it is alive: a bot that is dead or
 * has never connected returns in this state.
 */
public enum Control {
  /** Trading. */
  ACTIVE,
  /** Paused: opens no new positions. */
  PAUSED,
  /** Emergency-stopped. Only deregistration ends it; a resume never does. */
  STOPPED
}
