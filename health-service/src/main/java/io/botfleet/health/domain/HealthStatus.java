package io.botfleet.health.domain;

/** Evaluated health of a bot. The order is the order of badness (worst last). */
public enum HealthStatus {
  /** Tracked, no heartbeat yet. */
  UNKNOWN,
  /** No issue. */
  HEALTHY,
  /** At least one elevated issue, none high. */
  WARNING,
  /** At least one high issue. */
  CRITICAL,
  /** No heartbeat for longer than the dead threshold. */
  DEAD;

  /** The name stored in the database ("healthy"). */
  public String dbName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The status of a stored name. */
  public static HealthStatus fromDb(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }

  /** True for warning and critical: the statuses a health alert is open for. */
  public boolean alerting() {
    return this == WARNING || this == CRITICAL;
  }
}
