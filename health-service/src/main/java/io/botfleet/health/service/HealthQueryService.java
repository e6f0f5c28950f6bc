package io.botfleet.health.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.Violations;
import io.botfleet.health.config.HealthConfig;
import io.botfleet.health.domain.Alert;
import io.botfleet.health.domain.AlertFilter;
import io.botfleet.health.domain.BotSnapshot;
import io.botfleet.health.domain.DailyStat;
import io.botfleet.health.domain.Dashboard;
import io.botfleet.health.domain.HistoryPoint;
import io.botfleet.health.domain.PagePosition;
import io.botfleet.health.domain.TrackedBot;
import io.botfleet.health.persistence.AlertRepository;
import io.botfleet.health.persistence.BotRepository;
import io.botfleet.health.persistence.QueryRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The read side. Reads the shared tables, so every replica answers the same whichever replica holds
 * a bot's stream.
 */
@ApplicationScoped
public class HealthQueryService {

  /** Longest history range. */
  static final Duration MAX_HISTORY = Duration.ofDays(31);

  /**
   * A bot's health.
   *
   * @param bot the bot
   * @param state its state
   * @param deadline when it counts as dead if nothing arrives (null for standby or dead bots)
   * @param lastReceivedAt its last heartbeat's receive time
   */
  public record BotHealth(TrackedBot bot, BotSnapshot state, Instant deadline) {}

  /**
   * A history.
   *
   * @param points oldest first
   * @param resolution bucket width (zero when not downsampled)
   */
  public record History(List<HistoryPoint> points, Duration resolution) {}

  @Inject BotRepository bots;
  @Inject QueryRepository queries;
  @Inject AlertRepository alerts;
  @Inject PolicyCache policies;
  @Inject DeadBotSweeper sweeper;
  @Inject HealthConfig config;

  /** A bot's current health (tracked, or untracked with its last state). */
  public BotHealth botHealth(String botId) {
    BotRepository.StoredBot stored =
        bots.find(botId)
            .orElseThrow(
                () ->
                    BotfleetException.notFound(
                        "BOT_NOT_TRACKED",
                        "health-service does not know bot " + botId,
                        Map.of("bot_id", botId)));
    Instant deadline = null;
    BotSnapshot state = stored.state();
    if (stored.tracked()
        && !stored.bot().standby()
        && state.status() != io.botfleet.health.domain.HealthStatus.DEAD) {
      Instant from = stored.bot().trackedAt();
      if (state.lastHeartbeatAt() != null && state.lastHeartbeatAt().isAfter(from)) {
        from = state.lastHeartbeatAt();
      }
      if (sweeper.graceStart().isAfter(from)) {
        from = sweeper.graceStart();
      }
      deadline = from.plus(policies.of(stored.bot().group()).deadAfter().orElseThrow());
    }
    return new BotHealth(stored.bot(), state, deadline);
  }

  /** The guide's dashboard over the tracked bots. */
  public Dashboard dashboard() {
    // The alert, not this replica's detector: any replica may answer.
    return Dashboard.of(queries.dashboardCounts(), Instant.now(), queries.massSilenceOpen());
  }

  /**
   * A bot's heartbeats in [from, to), at most {@code maxPoints}: the raw heartbeats when they fit
   * (and are still kept), else buckets of equal width (whole seconds; whole minutes from the minute
   * rollups once a bucket is a minute or more).
   */
  public History history(String botId, Instant from, Instant to, int maxPoints) {
    Violations violations = new Violations();
    violations.require(from != null, "start_time", "is required");
    violations.require(to != null, "end_time", "is required");
    if (from != null && to != null) {
      violations.require(from.isBefore(to), "end_time", "must be after start_time");
      violations.require(
          Duration.between(from, to).compareTo(MAX_HISTORY) <= 0,
          "end_time",
          "must be at most 31 days after start_time");
    }
    violations.require(
        maxPoints >= 0 && maxPoints <= 10_000, "max_points", "must be between 1 and 10000");
    violations.throwIfAny();
    int limit = maxPoints == 0 ? 500 : maxPoints;
    Instant rawKeptFrom =
        LocalDate.now(ZoneOffset.UTC)
            .minusDays(config.storage().rawRetention().toDays())
            .atStartOfDay(ZoneOffset.UTC)
            .toInstant();
    if (!from.isBefore(rawKeptFrom)) {
      List<HistoryPoint> raw = queries.raw(botId, from, to, limit + 1);
      if (raw.size() <= limit) {
        return new History(raw, Duration.ZERO);
      }
    }
    long span = Duration.between(from, to).toSeconds();
    long width = Math.max(1, (span + limit - 1) / limit);
    if (width < 60 && !from.isBefore(rawKeptFrom)) {
      Duration bucket = Duration.ofSeconds(width);
      return new History(queries.rawBuckets(botId, from, to, bucket), bucket);
    }
    Duration bucket = Duration.ofMinutes((width + 59) / 60);
    return new History(queries.minuteBuckets(botId, from, to, bucket), bucket);
  }

  /** Per bot and UTC day: the day's last PnL and trades, errors, uptime, largest drawdown. */
  public List<DailyStat> dailyStats(List<String> botIds, String startDate, String endDate) {
    Violations violations = new Violations();
    LocalDate start = date(startDate, "start_date", violations);
    LocalDate end = date(endDate, "end_date", violations);
    for (int i = 0; i < botIds.size(); i++) {
      violations.require(
          botIds.get(i).matches("[a-z][a-z0-9-]{2,63}"),
          "bot_ids[" + i + "]",
          "must be an agent id such as bot-3f9a1c2b7d4e8f01");
    }
    if (start != null && end != null) {
      violations.require(!end.isBefore(start), "end_date", "must not be before start_date");
      violations.require(
          !end.isAfter(start.plusDays(366)),
          "end_date",
          "must be at most 366 days after start_date");
    }
    violations.throwIfAny();
    Instant rolled = Instant.now().minus(config.storage().rollupLag()).minus(Duration.ofMinutes(1));
    List<DailyStat> stats = new ArrayList<>();
    for (QueryRepository.BotDay day : queries.days(botIds, start, end.plusDays(1))) {
      Instant dayStart = day.day().atStartOfDay(ZoneOffset.UTC).toInstant();
      Instant windowStart = dayStart;
      if (day.trackedAt() != null && day.trackedAt().isAfter(windowStart)) {
        windowStart = day.trackedAt();
      }
      Instant windowEnd = dayStart.plus(Duration.ofDays(1));
      if (day.untrackedAt() != null && day.untrackedAt().isBefore(windowEnd)) {
        windowEnd = day.untrackedAt();
      }
      if (rolled.isBefore(windowEnd)) {
        windowEnd = rolled;
      }
      long minutes = Math.max(1, (Duration.between(windowStart, windowEnd).toSeconds() + 59) / 60);
      double uptime = Math.min(100.0, day.coveredMinutes() * 100.0 / minutes);
      stats.add(
          new DailyStat(
              day.botId(),
              day.day(),
              day.pnlUsd(),
              day.tradeCount(),
              day.errorCount(),
              Math.round(uptime * 100) / 100.0,
              day.maxDrawdownPct()));
    }
    return stats;
  }

  /** A page of alerts, newest first. */
  public List<Alert> alerts(AlertFilter filter, PagePosition after, int limit) {
    return alerts.list(filter, after, limit);
  }

  private static LocalDate date(String value, String field, Violations violations) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      violations.add(field, "must be a date YYYY-MM-DD, got \"" + value + "\"");
      return null;
    }
  }
}
