package io.botfleet.health.service;

import io.botfleet.common.auth.Caller;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.Violations;
import io.botfleet.common.events.EventLog;
import io.botfleet.common.greenhelix.Outbox;
import io.botfleet.health.config.HealthConfig;
import io.botfleet.health.domain.BurnRateAlert;
import io.botfleet.health.domain.ErrorBudget;
import io.botfleet.health.domain.ObservationGaps;
import io.botfleet.health.domain.ReliabilityScore;
import io.botfleet.health.domain.SlaBot;
import io.botfleet.health.domain.SlaCheck;
import io.botfleet.health.domain.SlaMeasurement;
import io.botfleet.health.domain.SlaMeasurement.Span;
import io.botfleet.health.domain.SlaMinute;
import io.botfleet.health.domain.SlaState;
import io.botfleet.health.domain.SlaTargets;
import io.botfleet.health.domain.SlaWindow;
import io.botfleet.health.persistence.ObservationRepository;
import io.botfleet.health.persistence.SlaRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SLA targets, compliance over a window, the monthly report and reliability scores. Everything is
 * measured from the heartbeat minutes (see {@link SlaMeasurement}); nothing is taken from what a
 * bot says about itself.
 */
@ApplicationScoped
public class SlaService {

  private static final String GROUP = "[a-z0-9][a-z0-9_-]{0,63}";
  private static final Duration RELIABILITY_SPAN = Duration.ofDays(30);

  /**
   * A compliance check.
   *
   * @param bot the bot and its targets (null targets: none apply)
   * @param window the window
   * @param measured what was measured
   * @param check the outcome
   * @param budget the uptime error budget (null without targets)
   * @param burn the burn-rate alert tier
   * @param burnRates burn rates over 5 min, 30 min, 1 h, 6 h
   * @param checkedAt when
   */
  public record Compliance(
      SlaBot bot,
      SlaWindow window,
      SlaMeasurement measured,
      SlaCheck check,
      ErrorBudget budget,
      BurnRateAlert burn,
      double[] burnRates,
      Instant checkedAt) {}

  /**
   * One bot of the monthly report.
   *
   * @param bot the bot and its targets
   * @param measured what was measured over the month
   * @param check the outcome
   * @param reliabilityScore its reliability score as of the month's end (or now)
   * @param greenhelixReputation GreenHelix's reputation score of the bot, if it answered one
   */
  public record ReportEntry(
      SlaBot bot,
      SlaMeasurement measured,
      SlaCheck check,
      double reliabilityScore,
      java.util.Optional<Double> greenhelixReputation) {}

  /**
   * The monthly report.
   *
   * @param month the month
   * @param entries one per bot with targets, by name
   * @param createdAt when made
   */
  public record Report(YearMonth month, List<ReportEntry> entries, Instant createdAt) {

    /** Bots compliant. */
    public int compliant() {
      return (int)
          entries.stream().filter(e -> e.check().status() == SlaCheck.Status.COMPLIANT).count();
    }
  }

  @Inject SlaRepository sla;
  @Inject ObservationRepository observations;
  @Inject PolicyCache policies;
  @Inject HealthConfig config;
  @Inject SlaClock clock;
  @Inject EventLog events;
  @Inject Outbox outbox;

  /**
   * Sets the targets of a bot or a group; a field left at 0 takes the default (the guide's example
   * for its group, else the guide's default). Returns the stored targets.
   */
  public SlaTargets setTargets(String botId, String group, SlaTargets given) {
    Violations violations = new Violations();
    boolean forBot = botId != null;
    if (forBot) {
      violations.require(
          botId.matches("[a-z][a-z0-9-]{2,63}"),
          "bot_id",
          "must be an agent id such as bot-3f9a1c2b7d4e8f01");
    } else if (group == null) {
      violations.add("subject", "set bot_id or group");
    } else {
      violations.require(
          group.matches(GROUP), "group", "must match " + GROUP + ", got \"" + group + "\"");
    }
    violations.throwIfAny();
    SlaBot bot = null;
    if (forBot) {
      bot =
          sla.bot(botId)
              .filter(b -> b.untrackedAt() == null)
              .orElseThrow(
                  () ->
                      BotfleetException.notFound(
                          "BOT_NOT_TRACKED",
                          "health-service does not track bot " + botId,
                          Map.of("bot_id", botId)));
    }
    SlaTargets targets = given.over(SlaTargets.defaultsFor(forBot ? bot.group() : group));
    targets.check("targets.", violations);
    violations.throwIfAny();
    String subject = forBot ? botId : group;
    String by = Caller.current().agentId();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              sla.save(forBot, subject, targets, clock.now(), by);
              List<String> affected =
                  forBot ? List.of(subject) : sla.groupMembersWithoutOwnTargets(subject);
              Map<String, Object> facts = new LinkedHashMap<>();
              facts.put(forBot ? "agent_id" : "group", subject);
              facts.putAll(metrics(targets));
              events.append("fleet.sla_targets_set", forBot ? subject : null, facts);
              // The guide's SLA metrics, for each bot the targets now apply to.
              List<Outbox.Call> calls = new ArrayList<>();
              for (String id : affected) {
                calls.add(new Outbox.Call(id, Map.of("agent_id", id, "metrics", metrics(targets))));
              }
              outbox.enqueueAll("submit_metrics", calls);
            });
    return targets;
  }

  /** The guide's sla_* metrics of a set of targets. */
  static Map<String, Object> metrics(SlaTargets t) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("sla_uptime_target", t.uptimePct());
    metrics.put("sla_max_drawdown", t.maxDrawdownPct());
    metrics.put("sla_min_trades_per_day", t.minTradesPerDay());
    metrics.put("sla_max_latency_ms", t.maxLatencyMs());
    metrics.put("sla_active", 1);
    return metrics;
  }

  /** A bot's compliance over a window ending now. */
  public Compliance compliance(String botId, SlaWindow window) {
    SlaBot bot =
        sla.bot(botId)
            .orElseThrow(
                () ->
                    BotfleetException.notFound(
                        "BOT_NOT_TRACKED",
                        "health-service does not know bot " + botId,
                        Map.of("bot_id", botId)));
    return compliance(bot, window, clock.now());
  }

  /** A bot's compliance over a window ending at {@code now}. */
  Compliance compliance(SlaBot bot, SlaWindow window, Instant now) {
    Duration dead = deadAfter(bot);
    Instant start = window.start(now);
    Instant burnStart = now.minus(Duration.ofHours(6));
    Instant fetchFrom = earlier(startOfDay(start), earlier(start, burnStart)).minus(dead);
    List<SlaMinute> minutes = sla.minutes(bot.botId(), fetchFrom, now);
    ObservationGaps gaps = gaps(fetchFrom, now, now);
    Span tracking = new Span(bot.trackedAt(), bot.untrackedAt());
    SlaMeasurement measured =
        SlaMeasurement.measure(minutes, new Span(start, now), tracking, dead, now, gaps);
    if (bot.targets() == null) {
      return new Compliance(
          bot, window, measured, SlaCheck.NO_SLA, null, BurnRateAlert.NONE, new double[4], now);
    }
    double target = bot.targets().uptimePct();
    double[] rates = new double[4];
    Duration[] spans = {
      Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(6)
    };
    for (int i = 0; i < spans.length; i++) {
      Duration[] down =
          SlaMeasurement.downtime(
              minutes, new Span(now.minus(spans[i]), now), tracking, dead, now, gaps);
      rates[i] = ErrorBudget.burnRate(target, down[0], down[1]);
    }
    SlaCheck check = SlaCheck.of(bot.targets(), measured, config.sla().criticalFactor());
    return new Compliance(
        bot,
        window,
        measured,
        check,
        ErrorBudget.of(target, measured, rates[2], rates[3]),
        BurnRateAlert.of(rates[0], rates[1], rates[2], rates[3]),
        rates,
        now);
  }

  /** The monthly report ("YYYY-MM"; the current month so far). */
  public Report report(String monthText) {
    YearMonth month;
    try {
      month = YearMonth.parse(monthText);
    } catch (DateTimeParseException e) {
      throw new io.botfleet.common.error.InvalidArgumentException(
          "month", "must be a month YYYY-MM, got \"" + monthText + "\"");
    }
    Instant now = clock.now();
    Instant from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    if (!from.isBefore(now)) {
      throw new io.botfleet.common.error.InvalidArgumentException(
          "month", "must not be in the future, got \"" + monthText + "\"");
    }
    List<ReportEntry> entries = new ArrayList<>();
    for (SlaBot bot : sla.withTargetsDuring(from, earlier(to, now))) {
      Duration dead = deadAfter(bot);
      Instant end = earlier(to, now);
      List<SlaMinute> minutes = sla.minutes(bot.botId(), from.minus(dead), end);
      SlaMeasurement measured =
          SlaMeasurement.measure(
              minutes,
              new Span(from, to),
              new Span(bot.trackedAt(), bot.untrackedAt()),
              dead,
              now,
              gaps(from.minus(dead), end, now));
      SlaCheck check = SlaCheck.of(bot.targets(), measured, config.sla().criticalFactor());
      entries.add(
          new ReportEntry(
              bot, measured, check, reliability(bot, end), sla.reputation(bot.botId())));
    }
    return new Report(month, entries, now);
  }

  /**
   * A bot's reliability score now: the stored one if fresh, else computed from its last 30 days and
   * stored.
   */
  public double reliability(String botId) {
    SlaState state = sla.state(botId);
    Instant now = clock.now();
    if (state.reliabilityScore() != null
        && state.reliabilityAt() != null
        && state.reliabilityAt().plus(config.sla().reliabilityRefresh()).isAfter(now)
        && !state.reliabilityAt().isAfter(now)) {
      return state.reliabilityScore();
    }
    SlaBot bot = sla.bot(botId).orElse(null);
    if (bot == null) {
      return 0;
    }
    double score = reliability(bot, now);
    QuarkusTransaction.requiringNew().run(() -> sla.saveReliability(botId, score, now));
    return score;
  }

  /** A bot's reliability over the 30 days before {@code end}. */
  double reliability(SlaBot bot, Instant end) {
    Duration dead = deadAfter(bot);
    Instant from = end.minus(RELIABILITY_SPAN);
    List<SlaMinute> minutes = sla.minutes(bot.botId(), from.minus(dead), end);
    SlaMeasurement measured =
        SlaMeasurement.measure(
            minutes,
            new Span(from, end),
            new Span(bot.trackedAt(), bot.untrackedAt()),
            dead,
            end,
            gaps(from.minus(dead), end, end));
    int[] counts = sla.violationsAndIncidents(bot.botId(), from, end);
    return ReliabilityScore.of(measured.uptimePct(), counts[0], counts[1]);
  }

  /**
   * When health-service was not observing in [from, to) (a mass silence still open lasts until
   * {@code now}): SLA counts no bot up or down then.
   */
  private ObservationGaps gaps(Instant from, Instant to, Instant now) {
    return ObservationGaps.of(observations.gaps(from, to, now));
  }

  private Duration deadAfter(SlaBot bot) {
    return policies.of(bot.group()).deadAfter().orElseThrow();
  }

  private static Instant startOfDay(Instant t) {
    return t.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
