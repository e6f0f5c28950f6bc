package io.botfleet.health.domain;

/** Severity of an alert. */
public enum AlertSeverity {
  /** Informational. */
  INFO,
  /** Warning. */
  WARNING,
  /** Critical. */
  CRITICAL;

  /** The stored and published name ("critical"). */
  public String dbName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The severity of a stored name. */
  public static AlertSeverity fromDb(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }
}
