package io.botfleet.fleet.domain;

/** How a group fails over when one of its bots dies. */
public enum FailoverMode {
  /** The operator decides (InitiateFailover). The default. */
  MANUAL,
  /** To a dormant standby by itself, while most of the fleet is healthy. */
  AUTOMATIC
}
