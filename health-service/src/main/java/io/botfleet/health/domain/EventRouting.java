package io.botfleet.health.domain;

import java.util.Optional;

/**
 * Where each health event goes besides WatchHealth: the audit event type it is recorded as, whether
 * it is published to GreenHelix and messaged to the fleet manager, and the webhook event type it is
 * delivered as.
 */
public final class EventRouting {

  /** Webhook event type of sampled heartbeats. */
  public static final String HEARTBEAT = "fleet.heartbeat";

  /** Webhook and audit event type of health alerts (the guide's). */
  public static final String HEALTH_ALERT = "fleet.health_alert";

  /** The guide's dead-bot event. */
  public static final String BOT_DEAD = "fleet.bot_dead";

  /** A dead bot came back. */
  public static final String BOT_RECOVERED = "fleet.bot_recovered";

  /** SLA violations (SLA tracking). */
  public static final String SLA_VIOLATION = "fleet.sla_violation";

  /**
   * A critical SLA breach (fleet-service pauses the bot). Its findings also go out as
   * fleet.sla_violation, so it is audited, not published twice.
   */
  public static final String SLA_CRITICAL = "fleet.sla_critical";

  /** SLA warnings (recorded only). */
  public static final String SLA_WARNING = "fleet.sla_warning";

  /** The event types a webhook may subscribe to. */
  public static final java.util.Set<String> WEBHOOK_TYPES =
      java.util.Set.of(HEARTBEAT, HEALTH_ALERT, BOT_DEAD, BOT_RECOVERED, SLA_VIOLATION);

  private EventRouting() {}

  /** The audit event type ({@code events} table). */
  public static String auditType(HealthEvent event) {
    return switch (event.type()) {
      case STATUS_CHANGED -> "fleet.health_status_changed";
      case ALERT_RAISED ->
          Alert.HEALTH.equals(event.alert().kind()) ? HEALTH_ALERT : "fleet.alert_raised";
      case ALERT_RESOLVED -> "fleet.health_alert_resolved";
      case BOT_DEAD -> BOT_DEAD;
      case BOT_RECOVERED -> BOT_RECOVERED;
      case VERSION_CHANGED -> "fleet.bot_version_changed";
      case MASS_SILENCE_STARTED -> "fleet.mass_silence_started";
      case MASS_SILENCE_ENDED -> "fleet.mass_silence_ended";
      case SLA_VIOLATION -> SLA_VIOLATION;
      case SLA_CRITICAL -> SLA_CRITICAL;
    };
  }

  /**
   * True if the event is published to GreenHelix (publish_event): alerts, deaths, recoveries and
   * mass silences; status and version changes stay in the local audit trail.
   */
  public static boolean published(HealthEvent event) {
    return switch (event.type()) {
      case ALERT_RAISED -> Alert.HEALTH.equals(event.alert().kind());
      case ALERT_RESOLVED,
          BOT_DEAD,
          BOT_RECOVERED,
          MASS_SILENCE_STARTED,
          MASS_SILENCE_ENDED,
          SLA_VIOLATION ->
          true;
      default -> false;
    };
  }

  /** True if the fleet manager gets an alert message (send_message): every alert and its end. */
  public static boolean messaged(HealthEvent event) {
    return event.type() == HealthEventType.ALERT_RAISED
        || event.type() == HealthEventType.ALERT_RESOLVED;
  }

  /** The webhook event type it is delivered as, if any. */
  public static Optional<String> webhookType(HealthEvent event) {
    return switch (event.type()) {
      case ALERT_RAISED, ALERT_RESOLVED ->
          // A dead bot has its own webhook event; an SLA alert's event is fleet.sla_violation.
          Alert.DEAD.equals(event.alert().kind())
                  || Alert.SLA_VIOLATION.equals(event.alert().kind())
              ? Optional.empty()
              : Optional.of(HEALTH_ALERT);
      case BOT_DEAD -> Optional.of(BOT_DEAD);
      case BOT_RECOVERED -> Optional.of(BOT_RECOVERED);
      case SLA_VIOLATION -> Optional.of(SLA_VIOLATION);
      default -> Optional.empty();
    };
  }
}
