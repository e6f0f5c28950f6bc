package io.botfleet.health.domain;

/** Kinds of health events (WatchHealth's types). */
public enum HealthEventType {
  /** A bot's status changed. */
  STATUS_CHANGED,
  /** An alert was raised. */
  ALERT_RAISED,
  /** An alert was resolved. */
  ALERT_RESOLVED,
  /** A bot was declared dead. */
  BOT_DEAD,
  /** A dead bot heartbeats again. */
  BOT_RECOVERED,
  /** A bot reports another version than before. */
  VERSION_CHANGED,
  /** Too much of the fleet went silent at once. */
  MASS_SILENCE_STARTED,
  /** The mass silence is over. */
  MASS_SILENCE_ENDED,
  /** An SLA target was missed (SLA tracking). */
  SLA_VIOLATION,
  /** An SLA target was missed by more than the critical factor (SLA tracking). */
  SLA_CRITICAL
}
