package io.botfleet.health.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What a bot achieved over a window, computed from its heartbeat minutes (never reported by it).
 *
 * @param uptimePct share of the measured span in which the bot was alive, percent (100 if the span
 *     is empty)
 * @param maxDrawdownPct largest drawdown seen, percent (0 without data)
 * @param tradesPerDay trades per day: the worst judged day (closed days on their count, the current
 *     or a partly tracked day pro rata); empty if no day could be judged yet
 * @param p99LatencyMs p99 of heartbeat_latency_ms (the upper bound of its bucket, capped by the
 *     largest latency seen); empty without heartbeats
 * @param coveredMinutes minutes of the window with heartbeats
 * @param span the measured span: the window clipped to the bot's tracking and to now, less the time
 *     health-service was not observing ({@link ObservationGaps}); zero: no uptime measured
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

  /** Measures a bot over a window health-service observed throughout. */
  public static SlaMeasurement measure(
      List<SlaMinute> minutes, Span window, Span tracking, Duration deadAfter, Instant now) {
    return measure(minutes, window, tracking, deadAfter, now, ObservationGaps.NONE);
  }

  /**
   * Measures a bot.
   *
   * @param minutes its heartbeat minutes, oldest first, from at least the start of the first UTC
   *     day of the window and one dead threshold before the window
   * @param window the window [start, end)
   * @param tracking when the bot was tracked [start, end); end null while tracked
   * @param deadAfter the bot's dead threshold: after a heartbeat the bot is alive this long
   * @param now the current time (later parts of the window are not measured)
   * @param gaps when health-service was not observing: neither up nor down, left out of the span
   */
  public static SlaMeasurement measure(
      List<SlaMinute> minutes,
      Span window,
      Span tracking,
      Duration deadAfter,
      Instant now,
      ObservationGaps gaps) {
    Instant from = later(window.start(), tracking.start());
    Instant to = earlier(earlier(window.end(), tracking.end()), now);
    if (!to.isAfter(from)) {
      return new SlaMeasurement(
          100, 0, OptionalDouble.empty(), OptionalDouble.empty(), 0, Duration.ZERO, Duration.ZERO);
    }
    Duration span = Duration.between(from, to).minus(gaps.within(from, to));
    Duration alive = alive(minutes, from, to, deadAfter, tracking.start(), gaps);
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
    // Nothing observed: no uptime at all (reported as 100, and SlaCheck judges none).
    double uptime = span.isZero() ? 100 : 100.0 * alive.toMillis() / span.toMillis();
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

  /** True if some of the window was observed, so uptime was measured. */
  public boolean uptimeMeasured() {
    return !span.isZero();
  }

  /** Time alive in [from, to), health-service observing throughout. */
  public static Duration alive(
      List<SlaMinute> minutes, Instant from, Instant to, Duration dead, Instant trackedAt) {
    return alive(minutes, from, to, dead, trackedAt, ObservationGaps.NONE);
  }

  /**
   * Time alive in [from, to) outside the gaps: after each heartbeat the bot is alive for its dead
   * threshold, and between the first and last heartbeat of a minute it is alive throughout
   * (heartbeats within a minute are closer than any threshold of a minute or more). As in dead-bot
   * detection, a bot is not down in the first threshold after its tracking started ({@code
   * trackedAt}) nor in the first threshold after a gap ends (bots reconnect with backoff). Alive
   * time inside a gap is not counted: a heartbeat just before a gap does not make the gap up.
   */
  public static Duration alive(
      List<SlaMinute> minutes,
      Instant from,
      Instant to,
      Duration dead,
      Instant trackedAt,
      ObservationGaps gaps) {
    List<Instant> graces = new ArrayList<>(gaps.ends());
    if (trackedAt != null) {
      graces.add(trackedAt);
    }
    graces.sort(null);
    // The alive intervals in order of start (minutes are, graces merged in), so the union is one
    // sweep: coveredTo is where the union so far ends.
    long aliveMs = 0;
    Instant coveredTo = from;
    int g = 0;
    for (int i = 0; i <= minutes.size(); i++) {
      SlaMinute m = i < minutes.size() ? minutes.get(i) : null;
      while (g < graces.size() && (m == null || !graces.get(g).isAfter(m.firstAt()))) {
        Instant graceStart = graces.get(g++);
        Instant start = later(graceStart, coveredTo);
        Instant end = earlier(graceStart.plus(dead), to);
        if (end.isAfter(start)) {
          aliveMs += Duration.between(start, end).minus(gaps.within(start, end)).toMillis();
          coveredTo = end;
        }
      }
      if (m != null) {
        Instant start = later(m.firstAt(), coveredTo);
        Instant end = earlier(m.lastAt().plus(dead), to);
        if (end.isAfter(start)) {
          aliveMs += Duration.between(start, end).minus(gaps.within(start, end)).toMillis();
          coveredTo = end;
        }
      }
    }
    return Duration.ofMillis(aliveMs);
  }

  /**
   * Downtime in [from, to) (clipped to the tracking span and now, gaps left out), and the observed
   * span's length.
   */
  public static Duration[] downtime(
      List<SlaMinute> minutes,
      Span range,
      Span tracking,
      Duration dead,
      Instant now,
      ObservationGaps gaps) {
    Instant from = later(range.start(), tracking.start());
    Instant to = earlier(earlier(range.end(), tracking.end()), now);
    if (!to.isAfter(from)) {
      return new Duration[] {Duration.ZERO, Duration.ZERO};
    }
    Duration span = Duration.between(from, to).minus(gaps.within(from, to));
    return new Duration[] {
      span.minus(alive(minutes, from, to, dead, tracking.start(), gaps)), span
    };
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
