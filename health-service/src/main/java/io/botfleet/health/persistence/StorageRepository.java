package io.botfleet.health.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Daily partitions of the raw heartbeats and the minute rollups, the rollup itself, and retention.
 */
@ApplicationScoped
public class StorageRepository {

  /** The partitioned tables, each with daily partitions named {@code <table>_yyyymmdd}. */
  public static final List<String> PARTITIONED = List.of("heartbeats", "heartbeat_minutes");

  private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");

  /** Upper bounds of the latency buckets of heartbeat_minutes.latency_buckets (ms). */
  public static final double[] LATENCY_BOUNDS = {
    10, 25, 50, 100, 200, 250, 500, 750, 1000, 2000, 5000, 10000
  };

  @Inject EntityManager entityManager;

  /** Takes a job's lock for this transaction; false if another replica runs the job now. */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean tryLock(String job) {
    Object locked =
        entityManager
            .createNativeQuery(
                "select pg_try_advisory_xact_lock(hashtext(:job || ':' || current_schema()))")
            .setParameter("job", job)
            .getSingleResult();
    return Boolean.TRUE.equals(locked);
  }

  /** Creates the daily partition of {@code table} for {@code day} if missing. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void createPartition(String table, LocalDate day) {
    entityManager
        .createNativeQuery(
            "create table if not exists "
                + table
                + "_"
                + day.format(SUFFIX)
                + " partition of "
                + table
                + " for values from ('"
                + day
                + " 00:00:00+00') to ('"
                + day.plusDays(1)
                + " 00:00:00+00')")
        .executeUpdate();
  }

  /** Drops the daily partitions of {@code table} for days before {@code firstKept}. */
  @Transactional(Transactional.TxType.MANDATORY)
  @SuppressWarnings("unchecked")
  public int dropPartitionsBefore(String table, LocalDate firstKept) {
    List<String> names =
        entityManager
            .createNativeQuery(
                "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid"
                    + " join pg_class p on p.oid = i.inhparent"
                    + " join pg_namespace n on n.oid = p.relnamespace"
                    + " where p.relname = :table and n.nspname = current_schema()")
            .setParameter("table", table)
            .getResultList();
    int dropped = 0;
    for (String name : names) {
      String suffix = name.substring(table.length() + 1);
      if (!suffix.matches("[0-9]{8}")) {
        continue;
      }
      LocalDate day = LocalDate.parse(suffix, SUFFIX);
      if (day.isBefore(firstKept)) {
        entityManager.createNativeQuery("drop table " + name).executeUpdate();
        dropped++;
      }
    }
    return dropped;
  }

  /** Where the rollup got to (null before the first run). */
  @Transactional(Transactional.TxType.MANDATORY)
  @SuppressWarnings("unchecked")
  public Instant rolledUpTo() {
    List<Object> rows =
        entityManager.createNativeQuery("select rolled_upto from rollup_progress").getResultList();
    return rows.isEmpty() ? null : BotRepository.instant(rows.get(0));
  }

  /**
   * Rolls raw heartbeats received in [from, to) up into minute rows (replacing rows of minutes
   * rolled before, so heartbeats committed late are counted), and records {@code to}.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public int rollUp(Instant from, Instant to) {
    String buckets = latencyBuckets();
    int rows =
        entityManager
            .createNativeQuery(
                "insert into heartbeat_minutes (bot_id, minute, samples, first_at, last_at, version,"
                    + " uptime_seconds, latency_avg, latency_max, latency_buckets, pnl_avg, pnl_last,"
                    + " drawdown_avg, drawdown_max, trade_count_last, open_positions_avg,"
                    + " open_orders_avg, memory_avg, memory_max, cpu_avg, error_sum, worst_status)"
                    + " select bot_id, date_trunc('minute', received_at), count(*), min(received_at),"
                    + " max(received_at), (array_agg(version order by received_at desc))[1],"
                    + " (array_agg(uptime_seconds order by received_at desc))[1], avg(latency_ms),"
                    + " max(latency_ms), "
                    + buckets
                    + ", avg(pnl_usd), (array_agg(pnl_usd order by received_at desc))[1],"
                    + " avg(drawdown_pct), max(drawdown_pct),"
                    + " (array_agg(trade_count order by received_at desc))[1], avg(open_positions),"
                    + " avg(open_orders), avg(memory_mb), max(memory_mb), avg(cpu_pct),"
                    + " sum(error_count), (array_agg(status order by case status when 'critical'"
                    + " then 3 when 'warning' then 2 else 1 end desc))[1]"
                    + " from heartbeats where received_at >= :from and received_at < :to"
                    + " group by bot_id, date_trunc('minute', received_at)"
                    + " on conflict (bot_id, minute) do update set samples = excluded.samples,"
                    + " first_at = excluded.first_at, last_at = excluded.last_at,"
                    + " version = excluded.version, uptime_seconds = excluded.uptime_seconds,"
                    + " latency_avg = excluded.latency_avg, latency_max = excluded.latency_max,"
                    + " latency_buckets = excluded.latency_buckets, pnl_avg = excluded.pnl_avg,"
                    + " pnl_last = excluded.pnl_last, drawdown_avg = excluded.drawdown_avg,"
                    + " drawdown_max = excluded.drawdown_max,"
                    + " trade_count_last = excluded.trade_count_last,"
                    + " open_positions_avg = excluded.open_positions_avg,"
                    + " open_orders_avg = excluded.open_orders_avg, memory_avg = excluded.memory_avg,"
                    + " memory_max = excluded.memory_max, cpu_avg = excluded.cpu_avg,"
                    + " error_sum = excluded.error_sum, worst_status = excluded.worst_status")
            .setParameter("from", utc(from))
            .setParameter("to", utc(to))
            .executeUpdate();
    entityManager
        .createNativeQuery(
            "insert into rollup_progress (id, rolled_upto) values (1, :to)"
                + " on conflict (id) do update set rolled_upto = excluded.rolled_upto")
        .setParameter("to", utc(to))
        .executeUpdate();
    return rows;
  }

  /**
   * The SQL of an int[] that counts heartbeats ({@code latency_ms}) per latency bucket: one per
   * bound of {@link #LATENCY_BOUNDS} (above the bound before it) and one above the last.
   */
  public static String latencyBuckets() {
    StringBuilder buckets = new StringBuilder("array[");
    double lower = -1;
    for (double bound : LATENCY_BOUNDS) {
      buckets
          .append("count(*) filter (where latency_ms > ")
          .append(lower)
          .append(" and latency_ms <= ")
          .append(bound)
          .append("), ");
      lower = bound;
    }
    buckets.append("count(*) filter (where latency_ms > ").append(lower).append(")]::int[]");
    return buckets.toString();
  }

  /** Drops health events older than {@code keep}. */
  @Transactional(Transactional.TxType.MANDATORY)
  public int purgeEvents(Duration keep) {
    return entityManager
        .createNativeQuery(
            "delete from health_events where event_time < now() - cast(:keep as interval)")
        .setParameter("keep", keep.toSeconds() + " seconds")
        .executeUpdate();
  }

  static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
