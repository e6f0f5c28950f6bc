package io.botfleet.fleet.domain;

import java.time.Instant;
import java.util.List;

/**
 * One event of health-service's WatchHealth stream, as fleet-service reacts to it.
 *
 * @param sequence its sequence (resume after it)
 * @param type its kind
 * @param botId the bot, empty for fleet-level events
 * @param botName the bot's name
 * @param group the bot's group
 * @param status the health status now ("healthy", "warning", "critical", "dead", "unknown")
 * @param issues issues or SLA findings
 * @param version the version the bot reports, if known
 * @param message one line for humans
 * @param eventTime when it happened
 * @param lastHeartbeatAt the bot's last heartbeat, if known
 */
public record HealthEvent(
    long sequence,
    Type type,
    String botId,
    String botName,
    String group,
    String status,
    List<String> issues,
    String version,
    String message,
    Instant eventTime,
    Instant lastHeartbeatAt) {

  /** Kinds of health events fleet-service tells apart. */
  public enum Type {
    /** A bot's status changed (or its current status at the start of a watch). */
    STATUS_CHANGED,
    /** A bot was declared dead. */
    BOT_DEAD,
    /** A dead bot heartbeats again. */
    BOT_RECOVERED,
    /** A bot reports another version. */
    VERSION_CHANGED,
    /** Much of the fleet went silent at once. */
    MASS_SILENCE_STARTED,
    /** The mass silence is over. */
    MASS_SILENCE_ENDED,
    /** An SLA target was missed by more than the critical factor. */
    SLA_CRITICAL,
    /** Anything else (alerts, plain SLA violations): nothing for fleet-service to do. */
    OTHER
  }
}
