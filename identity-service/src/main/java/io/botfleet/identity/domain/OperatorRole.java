package io.botfleet.identity.domain;

/** An operator's role; each includes the rights of the ones before it. */
public enum OperatorRole {
  /** Reads everything. */
  VIEWER,
  /** Runs the fleet. */
  OPERATOR,
  /** Also manages identities and permissions. */
  ADMIN
}
