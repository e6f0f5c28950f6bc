package io.botfleet.health.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The guide's three tiers of SLA escalation, acted on once per change rather than at every check: a
 * warning is recorded; a violation raises an alert ("sla_violation") and the event
 * fleet.sla_violation (WatchHealth, audit, GreenHelix, webhooks); a critical violation also emits
 * SLA_CRITICAL on WatchHealth, on which fleet-service pauses the bot. A finding that is new or got
 * worse (metric and severity not seen at the last check) emits again; the alert is resolved when
 * the bot is compliant again. Burn-rate alerts ("sla_burn_rate") follow their tier.
 *
 * @param state the state to store
 * @param events the health events to record
 * @param warningsToRecord warnings that are new (recorded in the audit trail, nothing else)
 */
public record SlaEscalation(
    SlaState state, List<HealthEvent> events, List<SlaFinding> warningsToRecord) {

  /**
   * Decides what a check changes.
   *
   * @param bot the bot (id, name, group)
   * @param previous its state before the check
   * @param openAlert its open sla_violation alert (null if none)
   * @param openBurnAlert its open sla_burn_rate alert (null if none)
   * @param check the check's outcome
   * @param burn the burn-rate tier now
   * @param burnRates the burn rates over 5 min, 30 min, 1 h, 6 h (for the alert's text)
   * @param now when checked
   */
  public static SlaEscalation decide(
      TrackedBot bot,
      SlaState previous,
      Alert openAlert,
      Alert openBurnAlert,
      SlaCheck check,
      BurnRateAlert burn,
      double[] burnRates,
      Instant now) {
    List<HealthEvent> events = new ArrayList<>();
    Set<String> before = Set.copyOf(previous.findings());
    List<String> tokens = new ArrayList<>();
    check.violations().forEach(f -> tokens.add(token(f)));
    check.warnings().forEach(f -> tokens.add(token(f)));
    List<SlaFinding> newViolations =
        check.violations().stream().filter(f -> !before.contains(token(f))).toList();
    List<SlaFinding> newWarnings =
        check.warnings().stream().filter(f -> !before.contains(token(f))).toList();
    boolean newCritical =
        newViolations.stream().anyMatch(f -> f.severity() == SlaSeverity.CRITICAL);
    SlaSeverity level = check.level();

    Alert alert = openAlert;
    AlertSeverity wanted =
        level == SlaSeverity.CRITICAL ? AlertSeverity.CRITICAL : AlertSeverity.WARNING;
    boolean violating = !check.violations().isEmpty();
    if (alert != null && (!violating || alert.severity() != wanted)) {
      events.add(resolved(bot, alert, now));
      alert = null;
    }
    if (violating && alert == null) {
      alert =
          new Alert(
              UUID.randomUUID(),
              bot.botId(),
              bot.name(),
              bot.group(),
              Alert.SLA_VIOLATION,
              wanted,
              check.lines(),
              bot.name() + " missed its SLA: " + String.join("; ", lines(check.violations())),
              true,
              now,
              null);
      events.add(raised(bot, alert, now));
    }
    if (!newViolations.isEmpty()) {
      events.add(
          event(
              bot,
              HealthEventType.SLA_VIOLATION,
              check.lines(),
              bot.name() + " missed its SLA: " + String.join("; ", lines(check.violations())),
              now,
              null,
              guideFacts(bot, check, now)));
    }
    if (newCritical) {
      List<String> critical =
          lines(
              check.violations().stream()
                  .filter(f -> f.severity() == SlaSeverity.CRITICAL)
                  .toList());
      events.add(
          event(
              bot,
              HealthEventType.SLA_CRITICAL,
              critical,
              bot.name()
                  + " breached its SLA critically ("
                  + String.join("; ", critical)
                  + "): fleet-service pauses it",
              now,
              null,
              guideFacts(bot, check, now)));
    }

    Alert burnAlert = openBurnAlert;
    if (burnAlert != null && burn != previous.burn()) {
      events.add(resolved(bot, burnAlert, now));
      burnAlert = null;
    }
    if (burn != BurnRateAlert.NONE && burnAlert == null) {
      String text =
          "uptime error budget burning %s: %sx over 5 min, %sx over 30 min, %sx over 1 h, %sx over 6 h"
              .formatted(
                  burn == BurnRateAlert.FAST ? "fast" : "steadily",
                  SlaCheck.shown(burnRates[0]),
                  SlaCheck.shown(burnRates[1]),
                  SlaCheck.shown(burnRates[2]),
                  SlaCheck.shown(burnRates[3]));
      burnAlert =
          new Alert(
              UUID.randomUUID(),
              bot.botId(),
              bot.name(),
              bot.group(),
              Alert.SLA_BURN_RATE,
              burn == BurnRateAlert.FAST ? AlertSeverity.CRITICAL : AlertSeverity.WARNING,
              List.of(text),
              bot.name() + ": " + text,
              true,
              now,
              null);
      events.add(raised(bot, burnAlert, now));
    }

    SlaState state =
        new SlaState(
            bot.botId(),
            level,
            List.copyOf(tokens),
            burn,
            alert == null ? null : alert.id(),
            burnAlert == null ? null : burnAlert.id(),
            now,
            previous.reliabilityScore(),
            previous.reliabilityAt(),
            previous.mirroredOn());
    return new SlaEscalation(state, List.copyOf(events), newWarnings);
  }

  /** The guide's payload of fleet.sla_violation. */
  public static Map<String, Object> guideFacts(TrackedBot bot, SlaCheck check, Instant now) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("agent_id", bot.botId());
    facts.put("bot_name", bot.name());
    facts.put("violations", findings(check.violations()));
    facts.put("warnings", findings(check.warnings()));
    facts.put("timestamp", now.toString());
    return facts;
  }

  private static List<Map<String, Object>> findings(List<SlaFinding> findings) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (SlaFinding f : findings) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("metric", f.metric());
      m.put("target", f.target());
      m.put("actual", Math.round(f.actual() * 1000) / 1000.0);
      m.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
      out.add(m);
    }
    return out;
  }

  private static String token(SlaFinding f) {
    return f.metric() + ":" + f.severity().name().toLowerCase(Locale.ROOT);
  }

  private static List<String> lines(List<SlaFinding> findings) {
    return findings.stream().map(SlaFinding::message).collect(Collectors.toList());
  }

  private static HealthEvent raised(TrackedBot bot, Alert alert, Instant now) {
    Map<String, Object> facts = new HashMap<>();
    facts.put("severity", alert.severity().dbName());
    facts.put("agent_id", bot.botId());
    facts.put("bot_name", bot.name());
    facts.put("issues", alert.issues());
    facts.put("alert_id", alert.id().toString());
    facts.put("kind", alert.kind());
    facts.put("group", bot.group());
    facts.put("state", "open");
    return event(
        bot, HealthEventType.ALERT_RAISED, alert.issues(), alert.message(), now, alert, facts);
  }

  private static HealthEvent resolved(TrackedBot bot, Alert open, Instant now) {
    Alert alert = open.resolved(now);
    Map<String, Object> facts = new HashMap<>();
    facts.put("severity", alert.severity().dbName());
    facts.put("agent_id", bot.botId());
    facts.put("bot_name", bot.name());
    facts.put("alert_id", alert.id().toString());
    facts.put("kind", alert.kind());
    facts.put("state", "resolved");
    return event(
        bot,
        HealthEventType.ALERT_RESOLVED,
        alert.issues(),
        "Resolved: " + alert.message(),
        now,
        alert,
        facts);
  }

  private static HealthEvent event(
      TrackedBot bot,
      HealthEventType type,
      List<String> issues,
      String message,
      Instant now,
      Alert alert,
      Map<String, Object> facts) {
    return new HealthEvent(
        type,
        bot.botId(),
        bot.name(),
        bot.group(),
        null,
        null,
        issues,
        null,
        message,
        now,
        null,
        alert,
        facts);
  }
}
