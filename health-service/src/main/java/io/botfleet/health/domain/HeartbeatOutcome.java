package io.botfleet.health.domain;

import java.util.List;

/**
 * What accepting a heartbeat did to a bot.
 *
 * @param kind accepted (store it), duplicate (a resend of the last one: answer, do not store) or
 *     stale (behind the last one: refuse)
 * @param status the bot's status now
 * @param issues its issues now
 * @param events the health events it caused (status changes, alerts, recovery, version change)
 * @param sampleMetrics true if this heartbeat is the bot's GreenHelix metrics sample
 * @param sampleWebhook true if this heartbeat is the bot's fleet.heartbeat webhook sample
 * @param snapshot the bot's state after it, for the current-state table
 */
public record HeartbeatOutcome(
    Kind kind,
    HealthStatus status,
    List<HealthIssue> issues,
    List<HealthEvent> events,
    boolean sampleMetrics,
    boolean sampleWebhook,
    BotSnapshot snapshot) {

  /** How the heartbeat was taken. */
  public enum Kind {
    /** New: stored and evaluated. */
    ACCEPTED,
    /** The same sequence and sample time as the last accepted one: answered, not stored again. */
    DUPLICATE,
    /** Older than the last accepted one and not a restart: refused. */
    STALE
  }
}
