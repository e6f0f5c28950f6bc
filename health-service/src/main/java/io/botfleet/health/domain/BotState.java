package io.botfleet.health.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The live health of one tracked bot, held in memory. Every change goes through one of its
 * synchronized methods, which return the health events the change causes: alerts are raised only
 * when the status changes (and resolved when it changes back), never once per heartbeat.
 */
public final class BotState {

  private final String botId;
  private TrackedBot bot;
  private HealthStatus status = HealthStatus.UNKNOWN;
  private List<HealthIssue> issues = List.of();
  private Instant statusSince;
  private Instant lastHeartbeatAt;
  private Heartbeat latest;
  private Instant deadSince;
  private Alert openAlert;
  private Instant silenceEndedAt;
  private long lastMetricsSample = Long.MIN_VALUE;
  private long lastWebhookSample = Long.MIN_VALUE;

  /** A bot just tracked, or loaded from the current-state table. */
  public BotState(TrackedBot bot, BotSnapshot stored) {
    this.botId = bot.botId();
    this.bot = bot;
    this.statusSince = bot.trackedAt();
    if (stored != null) {
      status = stored.status();
      issues = stored.issues();
      statusSince = stored.statusSince();
      lastHeartbeatAt = stored.lastHeartbeatAt();
      latest = stored.latest();
      deadSince = stored.deadSince();
    }
  }

  /** The bot. */
  public String botId() {
    return botId;
  }

  /** The bot as tracked. */
  public synchronized TrackedBot bot() {
    return bot;
  }

  /** Replaces what fleet-service declared (name, group, standby); the health stays. */
  public synchronized void retrack(TrackedBot updated) {
    this.bot = updated;
  }

  /** Current status. */
  public synchronized HealthStatus status() {
    return status;
  }

  /** When the last heartbeat was received, or null. */
  public synchronized Instant lastHeartbeatAt() {
    return lastHeartbeatAt;
  }

  /** The alert currently open for this bot, if any. */
  public synchronized Alert openAlert() {
    return openAlert;
  }

  /** Restores the open alert after a restart. */
  public synchronized void restoreOpenAlert(Alert alert) {
    this.openAlert = alert;
  }

  /**
   * When the bot counts as dead if nothing arrives: a threshold after the latest of its last
   * heartbeat, its tracking start and {@code graceStart} (when this replica started watching).
   */
  public synchronized Instant deadline(Instant graceStart, Duration deadAfter) {
    Instant from = bot.trackedAt();
    if (lastHeartbeatAt != null && lastHeartbeatAt.isAfter(from)) {
      from = lastHeartbeatAt;
    }
    if (graceStart.isAfter(from)) {
      from = graceStart;
    }
    return from.plus(deadAfter);
  }

  /**
   * True if the bot is, or was within the last threshold before {@code now}, quiet for half a
   * threshold or more. Counting these (not only the bots quiet right now) is what recognises a
   * reconnect storm: by the time the first deadline passes, most bots may be back, but they were
   * silent too.
   */
  public synchronized boolean silentWithin(Instant now, Instant graceStart, Duration deadAfter) {
    Instant contact = deadline(graceStart, Duration.ZERO);
    if (Duration.between(contact, now).compareTo(deadAfter.dividedBy(2)) >= 0) {
      return true;
    }
    return silenceEndedAt != null
        && Duration.between(silenceEndedAt, now).compareTo(deadAfter) <= 0;
  }

  /**
   * Since when the bot is watched (the grace start) and its dead threshold.
   *
   * @param graceStart the grace start of the replica that watches
   * @param deadAfter its group's threshold
   */
  public record Liveness(Instant graceStart, Duration deadAfter) {}

  /**
   * Learns a heartbeat another replica received (from the shared current-state table). Only moves
   * forward.
   */
  public synchronized void heardElsewhere(Instant receivedAt) {
    if (receivedAt != null && (lastHeartbeatAt == null || receivedAt.isAfter(lastHeartbeatAt))) {
      lastHeartbeatAt = receivedAt;
    }
  }

  /**
   * Takes a well-formed heartbeat received at {@code now}, evaluated as {@code evaluation}.
   *
   * @param liveness since when the bot is watched and its threshold: a heartbeat that ends a
   *     silence of half a threshold or more is remembered (see {@link #silentWithin})
   * @param metricsInterval at most one GreenHelix metrics sample per this interval
   * @param webhookInterval at most one fleet.heartbeat webhook sample per this interval
   */
  public synchronized HeartbeatOutcome heartbeat(
      Heartbeat heartbeat,
      Evaluation evaluation,
      Instant now,
      Liveness liveness,
      Duration metricsInterval,
      Duration webhookInterval) {
    if (latest != null && heartbeat.sequence() <= latest.sequence()) {
      boolean resend =
          heartbeat.sequence() == latest.sequence()
              && heartbeat.heartbeatTime().equals(latest.heartbeatTime());
      boolean restarted = heartbeat.heartbeatTime().isAfter(latest.heartbeatTime());
      if (resend || !restarted) {
        return new HeartbeatOutcome(
            resend ? HeartbeatOutcome.Kind.DUPLICATE : HeartbeatOutcome.Kind.STALE,
            status,
            issues,
            List.of(),
            false,
            false,
            snapshot());
      }
    }
    List<HealthEvent> events = new ArrayList<>(2);
    String previousVersion = latest == null ? null : latest.version();
    HealthStatus previous = status;
    HealthStatus next = evaluation.status();
    if (previous == HealthStatus.DEAD) {
      Instant since = deadSince;
      events.add(statusEvent(previous, next, evaluation, heartbeat.version(), now));
      Map<String, Object> facts = guideFacts();
      facts.put("dead_since", since.toString());
      facts.put("downtime_seconds", seconds(Duration.between(since, now)));
      facts.put("last_heartbeat", now.toString());
      events.add(
          event(
              HealthEventType.BOT_RECOVERED,
              previous,
              next,
              evaluation.texts(),
              heartbeat.version(),
              bot.name()
                  + " heartbeats again after "
                  + Duration.between(since, now).toSeconds()
                  + " s dead",
              now,
              now,
              null,
              facts));
      resolveOpenAlert(events, now, heartbeat.version());
      deadSince = null;
    } else if (previous != next) {
      events.add(statusEvent(previous, next, evaluation, heartbeat.version(), now));
      if (previous.alerting()) {
        resolveOpenAlert(events, now, heartbeat.version());
      }
    }
    if (previous != next && next.alerting()) {
      AlertSeverity severity =
          next == HealthStatus.CRITICAL ? AlertSeverity.CRITICAL : AlertSeverity.WARNING;
      raise(
          events,
          Alert.HEALTH,
          severity,
          evaluation.texts(),
          bot.name() + " is " + next.dbName() + ": " + String.join(", ", evaluation.texts()),
          heartbeat.version(),
          now);
    }
    if (previousVersion != null && !previousVersion.equals(heartbeat.version())) {
      Map<String, Object> facts = guideFacts();
      facts.put("previous_version", previousVersion);
      facts.put("version", heartbeat.version());
      events.add(
          event(
              HealthEventType.VERSION_CHANGED,
              null,
              null,
              List.of(),
              heartbeat.version(),
              bot.name() + " runs " + heartbeat.version() + " (was " + previousVersion + ")",
              now,
              null,
              null,
              facts));
    }
    if (previous != next) {
      statusSince = now;
    }
    Instant contact = deadline(liveness.graceStart(), Duration.ZERO);
    if (Duration.between(contact, now).compareTo(liveness.deadAfter().dividedBy(2)) >= 0) {
      silenceEndedAt = now;
    }
    status = next;
    issues = evaluation.issues();
    lastHeartbeatAt = now;
    latest = heartbeat;
    long millis = now.toEpochMilli();
    boolean sampleMetrics = sample(millis, lastMetricsSample, metricsInterval);
    if (sampleMetrics) {
      lastMetricsSample = millis;
    }
    boolean sampleWebhook = sample(millis, lastWebhookSample, webhookInterval);
    if (sampleWebhook) {
      lastWebhookSample = millis;
    }
    return new HeartbeatOutcome(
        HeartbeatOutcome.Kind.ACCEPTED,
        status,
        issues,
        events,
        sampleMetrics,
        sampleWebhook,
        snapshot());
  }

  /**
   * Declares the bot dead at {@code now} (its deadline passed). Returns no events if it is dead
   * already or a standby.
   */
  public synchronized List<HealthEvent> declareDead(Instant now) {
    if (status == HealthStatus.DEAD || bot.standby()) {
      return List.of();
    }
    List<HealthEvent> events = new ArrayList<>(4);
    String version = latest == null ? null : latest.version();
    HealthStatus previous = status;
    events.add(
        event(
            HealthEventType.STATUS_CHANGED,
            previous,
            HealthStatus.DEAD,
            List.of(),
            version,
            bot.name() + " is dead",
            now,
            lastHeartbeatAt,
            null,
            statusFacts(previous, HealthStatus.DEAD, List.of())));
    Map<String, Object> facts = new HashMap<>();
    facts.put("agent_id", botId);
    facts.put("bot_name", bot.name());
    facts.put("last_heartbeat", lastHeartbeatAt == null ? null : lastHeartbeatAt.toString());
    Instant since = lastHeartbeatAt == null ? bot.trackedAt() : lastHeartbeatAt;
    facts.put("seconds_since_heartbeat", seconds(Duration.between(since, now)));
    facts.put("group", bot.group());
    String silence =
        lastHeartbeatAt == null
            ? "no heartbeat since tracking started " + bot.trackedAt()
            : "no heartbeat since " + lastHeartbeatAt;
    events.add(
        event(
            HealthEventType.BOT_DEAD,
            previous,
            HealthStatus.DEAD,
            List.of(),
            version,
            bot.name() + " is dead: " + silence,
            now,
            lastHeartbeatAt,
            null,
            facts));
    resolveOpenAlert(events, now, version);
    raise(
        events,
        Alert.DEAD,
        AlertSeverity.CRITICAL,
        List.of(),
        bot.name() + " is dead: " + silence,
        version,
        now);
    status = HealthStatus.DEAD;
    issues = List.of();
    statusSince = now;
    deadSince = now;
    return events;
  }

  /**
   * Applies a health event another replica committed (or this one, harmlessly), so that every
   * replica knows each bot's status and open alert whichever replica holds its stream.
   */
  public synchronized void apply(HealthEvent event) {
    switch (event.type()) {
      case STATUS_CHANGED -> {
        if (event.status() != null && event.status() != status) {
          status = event.status();
          statusSince = event.time();
          deadSince = status == HealthStatus.DEAD ? event.time() : null;
        }
      }
      case ALERT_RAISED -> {
        // SLA alerts are kept by SLA tracking, not in the bot's live state.
        if (event.alert().ofBotState()) {
          openAlert = event.alert();
        }
      }
      case ALERT_RESOLVED -> {
        if (openAlert != null && openAlert.id().equals(event.alert().id())) {
          openAlert = null;
        }
      }
      default -> {
        // other events carry no state of their own
      }
    }
  }

  /** The state for the current-state table. */
  public synchronized BotSnapshot snapshot() {
    return new BotSnapshot(
        botId,
        status,
        issues,
        statusSince,
        lastHeartbeatAt,
        deadSince,
        openAlert == null ? null : openAlert.id(),
        latest);
  }

  private void resolveOpenAlert(List<HealthEvent> events, Instant now, String version) {
    if (openAlert == null) {
      return;
    }
    Alert resolved = openAlert.resolved(now);
    Map<String, Object> facts = guideFacts();
    facts.put("alert_id", resolved.id().toString());
    facts.put("kind", resolved.kind());
    facts.put("severity", resolved.severity().dbName());
    facts.put("state", "resolved");
    events.add(
        event(
            HealthEventType.ALERT_RESOLVED,
            null,
            null,
            resolved.issues(),
            version,
            "Resolved: " + resolved.message(),
            now,
            null,
            resolved,
            facts));
    openAlert = null;
  }

  private void raise(
      List<HealthEvent> events,
      String kind,
      AlertSeverity severity,
      List<String> texts,
      String message,
      String version,
      Instant now) {
    Alert alert =
        new Alert(
            UUID.randomUUID(),
            botId,
            bot.name(),
            bot.group(),
            kind,
            severity,
            texts,
            message,
            true,
            now,
            null);
    Map<String, Object> facts = new HashMap<>();
    facts.put("severity", severity.dbName());
    facts.put("agent_id", botId);
    facts.put("bot_name", bot.name());
    facts.put("issues", texts);
    facts.put("alert_id", alert.id().toString());
    facts.put("kind", kind);
    facts.put("group", bot.group());
    facts.put("state", "open");
    events.add(
        event(
            HealthEventType.ALERT_RAISED,
            null,
            null,
            texts,
            version,
            message,
            now,
            null,
            alert,
            facts));
    openAlert = alert;
  }

  private HealthEvent statusEvent(
      HealthStatus previous,
      HealthStatus next,
      Evaluation evaluation,
      String version,
      Instant now) {
    return event(
        HealthEventType.STATUS_CHANGED,
        previous,
        next,
        evaluation.texts(),
        version,
        bot.name() + ": " + previous.dbName() + " -> " + next.dbName(),
        now,
        now,
        null,
        statusFacts(previous, next, evaluation.texts()));
  }

  private Map<String, Object> statusFacts(
      HealthStatus previous, HealthStatus next, List<String> texts) {
    Map<String, Object> facts = guideFacts();
    facts.put("previous_status", previous.dbName());
    facts.put("status", next.dbName());
    facts.put("issues", texts);
    return facts;
  }

  private Map<String, Object> guideFacts() {
    Map<String, Object> facts = new HashMap<>();
    facts.put("agent_id", botId);
    facts.put("bot_name", bot.name());
    facts.put("group", bot.group());
    return facts;
  }

  private HealthEvent event(
      HealthEventType type,
      HealthStatus previous,
      HealthStatus next,
      List<String> texts,
      String version,
      String message,
      Instant time,
      Instant lastHeartbeat,
      Alert alert,
      Map<String, Object> facts) {
    return new HealthEvent(
        type,
        botId,
        bot.name(),
        bot.group(),
        previous,
        next,
        texts,
        version,
        message,
        time,
        lastHeartbeat,
        alert,
        facts);
  }

  private static boolean sample(long now, long last, Duration interval) {
    return last == Long.MIN_VALUE || now - last >= interval.toMillis();
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
