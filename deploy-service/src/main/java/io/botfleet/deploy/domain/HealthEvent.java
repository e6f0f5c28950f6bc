package io.botfleet.deploy.domain;

/**
 * A health event that concerns deployments.
 *
 * @param sequence its sequence in health-service's stream (resume after it)
 * @param type its kind
 * @param botId the bot, or "" for fleet-level events
 * @param status the bot's status now
 * @param version the version the bot reports, or ""
 */
public record HealthEvent(
    long sequence, Type type, String botId, HealthStatus status, String version) {

  /** Kinds of events deployments follow. */
  public enum Type {
    /** A status changed (or, at the start of a watch, the current one). */
    STATUS_CHANGED,
    /** A bot was declared dead. */
    BOT_DEAD,
    /** A dead bot heartbeats again. */
    BOT_RECOVERED,
    /** A bot reports another version. */
    VERSION_CHANGED,
    /** Anything else. */
    OTHER
  }
}
