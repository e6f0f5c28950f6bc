package io.botfleet.health.persistence;

import io.botfleet.health.domain.Dashboard;
import io.botfleet.health.domain.HealthStatus;
import io.botfleet.health.domain.Heartbeat;
import io.botfleet.health.domain.HistoryPoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Read-side queries: the dashboard, heartbeat histories, daily stats. */
@ApplicationScoped
public class QueryRepository {

  /**
   * A bot-day of the minute rollups, before uptime is worked out.
   *
   * @param botId the bot
   * @param day the day
   * @param pnlUsd last pnl_usd
   * @param tradeCount last trade_count
   * @param errorCount error_count summed
   * @param coveredMinutes minutes with a heartbeat
   * @param maxDrawdownPct largest drawdown_pct
   * @param trackedAt when the bot's tracking started
   * @param untrackedAt when it ended (null if tracked)
   */
  public record BotDay(
      String botId,
      LocalDate day,
      BigDecimal pnlUsd,
      long tradeCount,
      long errorCount,
      int coveredMinutes,
      double maxDrawdownPct,
      Instant trackedAt,
      Instant untrackedAt) {}

  private static final String WORST =
      "(array_agg(%s order by case %s when 'critical' then 3 when 'warning' then 2 else 1 end desc))[1]";

  @Inject EntityManager entityManager;

  /** Tracked bots per group and status, with their latest PnL and trades summed. */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<Dashboard.Count> dashboardCounts() {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select t.bot_group, s.status, count(*), coalesce(sum(s.pnl_usd), 0),"
                    + " coalesce(sum(s.trade_count), 0) from tracked_bots t"
                    + " join bot_states s on s.bot_id = t.bot_id where t.untracked_at is null"
                    + " group by t.bot_group, s.status")
            .getResultList();
    return rows.stream()
        .map(
            r ->
                new Dashboard.Count(
                    (String) r[0],
                    HealthStatus.fromDb((String) r[1]),
                    ((Number) r[2]).intValue(),
                    (BigDecimal) r[3],
                    ((Number) r[4]).longValue()))
        .toList();
  }

  /** Raw heartbeats of a bot in [from, to), oldest first, at most {@code limit}. */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<HistoryPoint> raw(String botId, Instant from, Instant to, int limit) {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select received_at, 1, sequence, heartbeat_time, version, uptime_seconds,"
                    + " latency_ms, pnl_usd, drawdown_pct, trade_count, open_positions, open_orders,"
                    + " memory_mb, cpu_pct, error_count, status from heartbeats"
                    + " where bot_id = :bot and received_at >= :from and received_at < :to"
                    + " order by received_at limit :limit")
            .setParameter("bot", botId)
            .setParameter("from", StorageRepository.utc(from))
            .setParameter("to", StorageRepository.utc(to))
            .setParameter("limit", limit)
            .getResultList();
    return points(rows);
  }

  /** Raw heartbeats of a bot in [from, to) in buckets of {@code width} (under a minute). */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<HistoryPoint> rawBuckets(String botId, Instant from, Instant to, Duration width) {
    String bucket = "date_bin(cast(:width as interval), received_at, :from)";
    List<Object[]> rows =
        bucketQuery(
                "select "
                    + bucket
                    + " b, count(*), 0, min(heartbeat_time),"
                    + " (array_agg(version order by received_at desc))[1],"
                    + " (array_agg(uptime_seconds order by received_at desc))[1], max(latency_ms),"
                    + " avg(pnl_usd), max(drawdown_pct),"
                    + " (array_agg(trade_count order by received_at desc))[1], avg(open_positions),"
                    + " avg(open_orders), avg(memory_mb), avg(cpu_pct), sum(error_count), "
                    + WORST.formatted("status", "status")
                    + " from heartbeats where bot_id = :bot and received_at >= :from"
                    + " and received_at < :to group by b order by b",
                botId,
                from,
                to,
                width)
            .getResultList();
    return points(rows);
  }

  /** Minute rollups of a bot in [from, to) in buckets of {@code width} (whole minutes). */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<HistoryPoint> minuteBuckets(String botId, Instant from, Instant to, Duration width) {
    String bucket = "date_bin(cast(:width as interval), minute, :from)";
    List<Object[]> rows =
        bucketQuery(
                "select "
                    + bucket
                    + " b, sum(samples), 0, min(first_at),"
                    + " (array_agg(version order by minute desc))[1],"
                    + " (array_agg(uptime_seconds order by minute desc))[1], max(latency_max),"
                    + " sum(pnl_avg * samples) / sum(samples), max(drawdown_max),"
                    + " (array_agg(trade_count_last order by minute desc))[1],"
                    + " sum(open_positions_avg * samples) / sum(samples),"
                    + " sum(open_orders_avg * samples) / sum(samples),"
                    + " sum(memory_avg * samples) / sum(samples), sum(cpu_avg * samples) / sum(samples),"
                    + " sum(error_sum), "
                    + WORST.formatted("worst_status", "worst_status")
                    + " from heartbeat_minutes where bot_id = :bot and minute >= :from"
                    + " and minute < :to group by b order by b",
                botId,
                from,
                to,
                width)
            .getResultList();
    return points(rows);
  }

  /** Per bot and UTC day in [from, to): the rollups summed, with each bot's tracking span. */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<BotDay> days(List<String> botIds, LocalDate from, LocalDate toExclusive) {
    Query query =
        entityManager.createNativeQuery(
            "select m.bot_id, cast(timezone('UTC', m.minute) as date) d,"
                + " (array_agg(m.pnl_last order by m.minute desc))[1],"
                + " (array_agg(m.trade_count_last order by m.minute desc))[1], sum(m.error_sum),"
                + " count(*), max(m.drawdown_max), min(t.tracked_at), min(t.untracked_at)"
                + " from heartbeat_minutes m left join tracked_bots t on t.bot_id = m.bot_id"
                + " where m.minute >= :from and m.minute < :to"
                + (botIds.isEmpty() ? "" : " and m.bot_id = any(cast(:ids as text[]))")
                + " group by m.bot_id, d order by d, m.bot_id");
    query.setParameter(
        "from", StorageRepository.utc(from.atStartOfDay(java.time.ZoneOffset.UTC).toInstant()));
    query.setParameter(
        "to",
        StorageRepository.utc(toExclusive.atStartOfDay(java.time.ZoneOffset.UTC).toInstant()));
    if (!botIds.isEmpty()) {
      query.setParameter("ids", "{" + String.join(",", botIds) + "}");
    }
    List<Object[]> rows = query.getResultList();
    List<BotDay> days = new ArrayList<>(rows.size());
    for (Object[] r : rows) {
      Object day = r[1];
      LocalDate date = day instanceof LocalDate l ? l : ((java.sql.Date) day).toLocalDate();
      days.add(
          new BotDay(
              (String) r[0],
              date,
              (BigDecimal) r[2],
              ((Number) r[3]).longValue(),
              ((Number) r[4]).longValue(),
              ((Number) r[5]).intValue(),
              ((Number) r[6]).doubleValue(),
              BotRepository.instant(r[7]),
              BotRepository.instant(r[8])));
    }
    return days;
  }

  /** True while a mass-silence alert is open (raised by whichever replica owns detection). */
  @Transactional
  public boolean massSilenceOpen() {
    return !entityManager
        .createNativeQuery(
            "select 1 from alerts where kind = 'mass_silence' and state = 'open' limit 1")
        .getResultList()
        .isEmpty();
  }

  /** Every bot id that is tracked now. */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<String> trackedIds() {
    return entityManager
        .createNativeQuery("select bot_id from tracked_bots where untracked_at is null")
        .getResultList();
  }

  private Query bucketQuery(String sql, String botId, Instant from, Instant to, Duration width) {
    return entityManager
        .createNativeQuery(sql)
        .setParameter("bot", botId)
        .setParameter("from", StorageRepository.utc(from))
        .setParameter("to", StorageRepository.utc(to))
        .setParameter("width", width.toSeconds() + " seconds");
  }

  private static List<HistoryPoint> points(List<Object[]> rows) {
    List<HistoryPoint> points = new ArrayList<>(rows.size());
    for (Object[] r : rows) {
      Heartbeat heartbeat =
          new Heartbeat(
              ((Number) r[2]).longValue(),
              BotRepository.instant(r[3]),
              (String) r[4],
              ((Number) r[5]).longValue(),
              ((Number) r[6]).doubleValue(),
              decimal(r[7]),
              ((Number) r[8]).doubleValue(),
              ((Number) r[9]).longValue(),
              (int) Math.round(((Number) r[10]).doubleValue()),
              (int) Math.round(((Number) r[11]).doubleValue()),
              ((Number) r[12]).doubleValue(),
              ((Number) r[13]).doubleValue(),
              ((Number) r[14]).longValue(),
              Map.of());
      points.add(
          new HistoryPoint(
              BotRepository.instant(r[0]),
              ((Number) r[1]).intValue(),
              heartbeat,
              HealthStatus.fromDb((String) r[15])));
    }
    return points;
  }

  private static String decimal(Object value) {
    BigDecimal d = (BigDecimal) value;
    return d.setScale(Math.min(8, Math.max(2, d.scale())), RoundingMode.HALF_EVEN)
        .stripTrailingZeros()
        .toPlainString();
  }
}
