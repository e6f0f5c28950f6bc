package io.botfleet.health.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What a bot achieved over a window, computed from its heartbeat minutes (never reported by it).
 *
 * @param uptimePct share of the measured span in which the bot was alive, percent
 * @param maxDrawdownPct largest drawdown seen, percent (0 without data)
 * @param tradesPerDay trades per day: the worst judged day (closed days on their count, the current
 *     or a partly tracked day pro rata); empty if no day could be judged yet
 * @param p99LatencyMs p99 of heartbeat_latency_ms (the upper bound of its bucket, capped by the
 *     largest latency seen); empty without heartbeats
 * @param coveredMinutes minutes of the window with heartbeats
 * @param span the measured span: the window clipped to the bot's tracking and to now
 * @param downtime time of the span in which the bot was not alive
 */
public record SlaMeasurement(
    double uptimePct,
    double maxDrawdownPct,
    OptionalDouble tradesPerDay,
    OptionalDouble p99LatencyMs,
    long coveredMinutes,
    Duration span,
    Duration downtime) {

  /** Upper bounds of the latency buckets of the minute rollups, ms (one more bucket above). */
  public static final double[] LATENCY_BOUNDS = {
    10, 25, 50, 100, 200, 250, 500, 750, 1000, 2000, 5000, 10000
  };

  /**
   * A day (or today so far) is judged on trades only once this much of it is measured: a pro rata
   * projection over a few minutes would be noise (the guide's false alarm at 9 AM, worse).
   */
  public static final Duration MIN_JUDGED_DAY = Duration.ofHours(1);

  private static final Duration DAY = Duration.ofDays(1);

  /**
   * Measures a bot.
   *
   * @param minutes its heartbeat minutes, oldest first, from at least the start of the first UTC
   *     day of the window and one dead threshold before the window
   * @param window the window [start, end)
   * @param tracking when the bot was tracked [start, end); end null while tracked
   * @param deadAfter the bot's dead threshold: after a heartbeat the bot is alive this long
   * @param now the current time (later parts of the window are not measured)
   */
  public static SlaMeasurement measure(
      List<SlaMinute> minutes, Span window, Span tracking, Duration deadAfter, Instant now) {
    Instant from = later(window.start(), tracking.start());
    Instant to = earlier(earlier(window.end(), tracking.end()), now);
    if (!to.isAfter(from)) {
      return new SlaMeasurement(
          100, 0, OptionalDouble.empty(), OptionalDouble.empty(), 0, Duration.ZERO, Duration.ZERO);
    }
    Duration span = Duration.between(from, to);
    Duration alive = alive(minutes, from, to, deadAfter, tracking.start());
    double maxDrawdown = 0;
    double maxLatency = 0;
    long[] buckets = new long[LATENCY_BOUNDS.length + 1];
    long covered = 0;
    long samples = 0;
    Map<LocalDate, Long> trades = new HashMap<>();
    for (SlaMinute m : minutes) {
      trades.merge(m.minute().atZone(ZoneOffset.UTC).toLocalDate(), m.tradeCount(), Math::max);
      if (m.minute().isBefore(from.truncatedTo(java.time.temporal.ChronoUnit.MINUTES))
          || !m.minute().isBefore(to)) {
        continue;
      }
      covered++;
      maxDrawdown = Math.max(maxDrawdown, m.drawdownMax());
      maxLatency = Math.max(maxLatency, m.latencyMax());
      for (int i = 0; i < buckets.length && i < m.latencyBuckets().length; i++) {
        buckets[i] += m.latencyBuckets()[i];
        samples += m.latencyBuckets()[i];
      }
    }
    double uptime = 100.0 * alive.toMillis() / span.toMillis();
    return new SlaMeasurement(
        uptime,
        maxDrawdown,
        tradesPerDay(trades, from, to, tracking, now),
        samples == 0
            ? OptionalDouble.empty()
            : OptionalDouble.of(p99(buckets, samples, maxLatency)),
        covered,
        span,
        span.minus(alive));
  }

  /**
   * Time alive in [from, to): after each heartbeat the bot is alive for its dead threshold, and
   * between the first and last heartbeat of a minute it is alive throughout (heartbeats within a
   * minute are closer than any threshold of a minute or more). As in dead-bot detection, a bot is
   * not down in the first threshold after its tracking started ({@code trackedAt}).
   */
  public static Duration alive(
      List<SlaMinute> minutes, Instant from, Instant to, Duration dead, Instant trackedAt) {
    long aliveMs = 0;
    Instant coveredTo = from;
    if (trackedAt != null) {
      Instant graceStart = later(trackedAt, from);
      Instant graceEnd = earlier(trackedAt.plus(dead), to);
      if (graceEnd.isAfter(graceStart)) {
        aliveMs += Duration.between(graceStart, graceEnd).toMillis();
        coveredTo = graceEnd;
      }
    }
    for (SlaMinute m : minutes) {
      Instant start = later(m.firstAt(), coveredTo);
      Instant end = earlier(m.lastAt().plus(dead), to);
      if (end.isAfter(start)) {
        aliveMs += Duration.between(start, end).toMillis();
        coveredTo = end;
      }
    }
    return Duration.ofMillis(aliveMs);
  }

  /** Downtime in [from, to) (clipped to the tracking span and now), and that span's length. */
  public static Duration[] downtime(
      List<SlaMinute> minutes, Span range, Span tracking, Duration dead, Instant now) {
    Instant from = later(range.start(), tracking.start());
    Instant to = earlier(earlier(range.end(), tracking.end()), now);
    if (!to.isAfter(from)) {
      return new Duration[] {Duration.ZERO, Duration.ZERO};
    }
    Duration span = Duration.between(from, to);
    return new Duration[] {span.minus(alive(minutes, from, to, dead, tracking.start())), span};
  }

  private static OptionalDouble tradesPerDay(
      Map<LocalDate, Long> trades, Instant from, Instant to, Span tracking, Instant now) {
    double worst = Double.POSITIVE_INFINITY;
    LocalDate last = to.minusNanos(1).atZone(ZoneOffset.UTC).toLocalDate();
    for (LocalDate day = from.atZone(ZoneOffset.UTC).toLocalDate();
        !day.isAfter(last);
        day = day.plusDays(1)) {
      Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
      Instant dayEnd = dayStart.plus(DAY);
      Instant start = later(dayStart, tracking.start());
      Instant end = earlier(earlier(dayEnd, tracking.end()), now);
      Duration measured = Duration.between(start, end);
      if (measured.compareTo(MIN_JUDGED_DAY) < 0) {
        continue;
      }
      long count = trades.getOrDefault(day, 0L);
      double rate =
          measured.equals(DAY) ? count : count * (double) DAY.toMillis() / measured.toMillis();
      worst = Math.min(worst, rate);
    }
    return worst == Double.POSITIVE_INFINITY ? OptionalDouble.empty() : OptionalDouble.of(worst);
  }

  private static double p99(long[] buckets, long samples, double maxLatency) {
    long rank = (long) Math.ceil(samples * 0.99);
    long seen = 0;
    for (int i = 0; i < buckets.length; i++) {
      seen += buckets[i];
      if (seen >= rank) {
        return i < LATENCY_BOUNDS.length ? Math.min(LATENCY_BOUNDS[i], maxLatency) : maxLatency;
      }
    }
    return maxLatency;
  }

  static Instant later(Instant a, Instant b) {
    return b == null || a.isAfter(b) ? a : b;
  }

  static Instant earlier(Instant a, Instant b) {
    return b == null || a.isBefore(b) ? a : b;
  }

  /**
   * A time span [start, end).
   *
   * @param start its start
   * @param end its end (null: open)
   */
  public record Span(Instant start, Instant end) {}
}
