package io.botfleet.health.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The fleet-level events of a mass silence: one alert for the whole fleet, not one per bot. */
public final class FleetSilence {

  private FleetSilence() {}

  /** A mass silence starts: its event and its alert. */
  public static List<HealthEvent> started(int silent, int watched, Instant now) {
    String message =
        silent
            + " of "
            + watched
            + " bots went silent at once: dead-bot detection and failover are suspended until"
            + " they are back (a network partition, or our side was gone)";
    Alert alert =
        new Alert(
            UUID.randomUUID(),
            null,
            "",
            "",
            Alert.MASS_SILENCE,
            AlertSeverity.CRITICAL,
            List.of(),
            message,
            true,
            now,
            null);
    Map<String, Object> facts = facts(silent, watched, alert);
    return List.of(
        event(HealthEventType.MASS_SILENCE_STARTED, message, now, null, facts),
        event(HealthEventType.ALERT_RAISED, message, now, alert, facts));
  }

  /** A mass silence ends: its event and the resolution of its alert. */
  public static List<HealthEvent> ended(Alert alert, int silent, int watched, Instant now) {
    String message =
        "Mass silence over: " + silent + " of " + watched + " bots still silent, watched again";
    Alert resolved = alert.resolved(now);
    Map<String, Object> facts = facts(silent, watched, resolved);
    return List.of(
        event(HealthEventType.MASS_SILENCE_ENDED, message, now, null, facts),
        event(
            HealthEventType.ALERT_RESOLVED, "Resolved: " + alert.message(), now, resolved, facts));
  }

  private static Map<String, Object> facts(int silent, int watched, Alert alert) {
    return Map.of(
        "silent_bots",
        silent,
        "tracked_bots",
        watched,
        "silent_pct",
        watched == 0 ? 0.0 : Math.round(silent * 1000.0 / watched) / 10.0,
        "alert_id",
        alert.id().toString(),
        "kind",
        alert.kind(),
        "severity",
        alert.severity().dbName(),
        "state",
        alert.open() ? "open" : "resolved");
  }

  private static HealthEvent event(
      HealthEventType type, String message, Instant now, Alert alert, Map<String, Object> facts) {
    return new HealthEvent(
        type, null, "", "", null, null, List.of(), null, message, now, null, alert, facts);
  }
}
