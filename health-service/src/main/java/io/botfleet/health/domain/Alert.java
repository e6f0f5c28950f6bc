package io.botfleet.health.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An alert: raised when a bot's status changes for the worse or a fleet-level condition starts,
 * resolved when it ends; never one per heartbeat.
 *
 * @param id its id
 * @param botId the bot, or null for a fleet-level alert
 * @param botName the bot's name ("" for fleet-level)
 * @param group the bot's group ("" for fleet-level)
 * @param kind {@link #HEALTH}, {@link #DEAD}, {@link #MASS_SILENCE}, {@link #SLA_VIOLATION} or
 *     {@link #SLA_BURN_RATE}
 * @param severity severity
 * @param issues the guide's issue strings when raised
 * @param message one line for the operator
 * @param open true until resolved
 * @param raisedAt when raised
 * @param resolvedAt when resolved (null while open)
 */
public record Alert(
    UUID id,
    String botId,
    String botName,
    String group,
    String kind,
    AlertSeverity severity,
    List<String> issues,
    String message,
    boolean open,
    Instant raisedAt,
    Instant resolvedAt) {

  /** A bot's status went to warning or critical. */
  public static final String HEALTH = "health";

  /** A bot was declared dead. */
  public static final String DEAD = "dead";

  /** Too much of the fleet went silent at once. */
  public static final String MASS_SILENCE = "mass_silence";

  /** A bot missed an SLA target (SLA tracking). */
  public static final String SLA_VIOLATION = "sla_violation";

  /** A bot's uptime error budget is burning fast (SLA tracking). */
  public static final String SLA_BURN_RATE = "sla_burn_rate";

  /** True for the kinds a bot's live state tracks (health and dead; SLA alerts have their own). */
  public boolean ofBotState() {
    return HEALTH.equals(kind) || DEAD.equals(kind);
  }

  /** This alert, resolved at {@code when}. */
  public Alert resolved(Instant when) {
    return new Alert(
        id, botId, botName, group, kind, severity, issues, message, false, raisedAt, when);
  }
}
