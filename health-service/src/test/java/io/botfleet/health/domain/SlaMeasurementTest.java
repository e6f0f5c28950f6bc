package io.botfleet.health.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.botfleet.health.domain.SlaMeasurement.Span;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlaMeasurementTest {

  private static final Instant DAY = Instant.parse("2026-03-10T00:00:00Z");
  private static final Duration DEAD = Duration.ofSeconds(120);

  /** Heartbeats every 30 s in [from, to), minute by minute, latency 45, trade count rising. */
  private static List<SlaMinute> heartbeats(Instant from, Instant to, long trades) {
    List<SlaMinute> minutes = new ArrayList<>();
    for (Instant m = from; m.isBefore(to); m = m.plusSeconds(60)) {
      int[] buckets = new int[13];
      buckets[2] = 2; // (25, 50]
      minutes.add(new SlaMinute(m, m, m.plusSeconds(30), buckets, 45, 1.0, trades));
    }
    return minutes;
  }

  @Test
  void aBotDeadTwoHoursOfADayHasTwentyTwoHoursOfUptime() {
    // Last heartbeat 09:58:30 (alive until 10:00:30), next at 12:00:30: dead 10:00:30-12:00:30.
    List<SlaMinute> minutes =
        new ArrayList<>(heartbeats(DAY, DAY.plusSeconds(9 * 3600 + 58 * 60 + 60), 40));
    minutes.addAll(heartbeats(DAY.plusSeconds(12 * 3600), DAY.plusSeconds(86_400), 80));
    // The minute of 12:00 only has its heartbeat at 12:00:30.
    SlaMinute noon = minutes.get(9 * 60 + 59);
    minutes.set(
        9 * 60 + 59,
        new SlaMinute(
            noon.minute(),
            noon.minute().plusSeconds(30),
            noon.lastAt(),
            noon.latencyBuckets(),
            45,
            1.0,
            80));

    SlaMeasurement m =
        SlaMeasurement.measure(
            minutes,
            new Span(DAY, DAY.plusSeconds(86_400)),
            new Span(DAY.minusSeconds(86_400), null),
            DEAD,
            DAY.plusSeconds(86_400 + 60));

    assertThat(m.downtime()).isEqualTo(Duration.ofHours(2));
    assertThat(m.uptimePct()).isCloseTo(22 * 100.0 / 24, within(1e-9));
    assertThat(m.coveredMinutes()).isEqualTo(1440 - 121); // 09:59 to 11:59 silent
    assertThat(m.p99LatencyMs().getAsDouble()).isEqualTo(45);
    assertThat(m.tradesPerDay().getAsDouble()).isEqualTo(80); // a closed day: its count
  }

  @Test
  void theCurrentDayIsJudgedProRataAndNotInItsFirstHour() {
    Instant now = DAY.plusSeconds(6 * 3600);
    List<SlaMinute> minutes = heartbeats(DAY, now, 15);
    Span tracking = new Span(DAY.minusSeconds(86_400 * 3), null);

    SlaMeasurement sixAm =
        SlaMeasurement.measure(minutes, new Span(now.minusSeconds(3600), now), tracking, DEAD, now);
    assertThat(sixAm.tradesPerDay().getAsDouble()).isEqualTo(60.0); // 15 in a quarter of the day

    Instant early = DAY.plusSeconds(1800);
    SlaMeasurement halfPastMidnight =
        SlaMeasurement.measure(
            heartbeats(DAY, early, 0),
            new Span(early.minusSeconds(600), early),
            tracking,
            DEAD,
            early);
    assertThat(halfPastMidnight.tradesPerDay()).isEmpty();
  }

  @Test
  void onlyTheTrackedPartOfTheWindowCounts() {
    Instant tracked = DAY.plusSeconds(43_200);
    List<SlaMinute> minutes = heartbeats(tracked, DAY.plusSeconds(86_400), 30);

    SlaMeasurement m =
        SlaMeasurement.measure(
            minutes,
            new Span(DAY, DAY.plusSeconds(86_400)),
            new Span(tracked, null),
            DEAD,
            DAY.plusSeconds(90_000));

    assertThat(m.span()).isEqualTo(Duration.ofHours(12));
    assertThat(m.uptimePct()).isEqualTo(100.0);
    assertThat(m.tradesPerDay().getAsDouble()).isEqualTo(60.0); // 30 in half a day
  }

  @Test
  void theErrorBudgetIsTheDowntimeTheTargetAllows() {
    SlaMeasurement m =
        new SlaMeasurement(
            99.7,
            0,
            java.util.OptionalDouble.empty(),
            java.util.OptionalDouble.empty(),
            1440,
            Duration.ofDays(1),
            Duration.ofMillis(259_200));
    ErrorBudget budget = ErrorBudget.of(99.5, m, 0, 0);
    assertThat(budget.allowed()).isEqualTo(Duration.ofSeconds(432));
    assertThat(budget.remainingPct()).isCloseTo(40.0, within(1e-9));
    assertThat(ErrorBudget.burnRate(99.5, Duration.ofMinutes(6), Duration.ofHours(1)))
        .isCloseTo(20.0, within(1e-9));
  }

  private static final Span TRACKED = new Span(DAY.minusSeconds(86_400), null);
  private static final Span WHOLE_DAY = new Span(DAY, DAY.plusSeconds(86_400));
  private static final Instant AFTER_DAY = DAY.plusSeconds(86_400 + 60);

  private static Instant at(int hour, int minute) {
    return DAY.plusSeconds(hour * 3600L + minute * 60L);
  }

  private static ObservationGaps gaps(Instant... bounds) {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < bounds.length; i += 2) {
      spans.add(new Span(bounds[i], bounds[i + 1]));
    }
    return ObservationGaps.of(spans);
  }

  @Test
  void aHealthServiceOutageIsNeitherUpNorDownForABotThatHeartbeatedAroundIt() {
    // Heartbeats (every 30 s) up to 09:59:30 and again from 10:20; health-service was down
    // 10:00-10:20. Without the gap the bot would be down 10:01:30-10:20 (18.5 min: critical
    // against 99.5%); with it, the alive threshold after 09:59:30 stops at the gap and the bot
    // gets one threshold of grace after it, as dead-bot detection grants.
    List<SlaMinute> minutes = new ArrayList<>(heartbeats(DAY, at(10, 0), 40));
    minutes.addAll(heartbeats(at(10, 20), DAY.plusSeconds(86_400), 80));
    ObservationGaps outage = gaps(at(10, 0), at(10, 20));

    SlaMeasurement blind = SlaMeasurement.measure(minutes, WHOLE_DAY, TRACKED, DEAD, AFTER_DAY);
    SlaMeasurement m = SlaMeasurement.measure(minutes, WHOLE_DAY, TRACKED, DEAD, AFTER_DAY, outage);

    assertThat(blind.downtime()).isEqualTo(Duration.ofSeconds(18 * 60 + 30));
    assertThat(m.span()).isEqualTo(Duration.ofHours(24).minusMinutes(20));
    assertThat(m.downtime()).isZero();
    assertThat(m.uptimePct()).isEqualTo(100.0);
    assertThat(SlaCheck.of(SlaTargets.GUIDE_DEFAULTS, m, 1.5).violations()).isEmpty();
    assertThat(ErrorBudget.of(99.5, m, 0, 0).remainingPct()).isEqualTo(100.0);
  }

  @Test
  void aBotSilentOutsideTheGapIsStillDownThere() {
    // Last heartbeat 08:59:30 (alive to 09:01:30); gap 10:00-10:20 (then 2 min of grace); back at
    // 10:30: down 09:01:30-10:00 and 10:22-10:30.
    List<SlaMinute> minutes = new ArrayList<>(heartbeats(DAY, at(9, 0), 40));
    minutes.addAll(heartbeats(at(10, 30), DAY.plusSeconds(86_400), 80));

    SlaMeasurement m =
        SlaMeasurement.measure(
            minutes, WHOLE_DAY, TRACKED, DEAD, AFTER_DAY, gaps(at(10, 0), at(10, 20)));

    Duration down = Duration.ofSeconds(58 * 60 + 30).plusMinutes(8);
    assertThat(m.downtime()).isEqualTo(down);
    assertThat(m.uptimePct())
        .isCloseTo(100.0 * (1 - down.toMillis() / (double) (86_400_000 - 1_200_000)), within(1e-9));
    assertThat(SlaCheck.of(SlaTargets.GUIDE_DEFAULTS, m, 1.5).level())
        .isEqualTo(SlaSeverity.CRITICAL);
  }

  @Test
  void gapsOverlappingTheWindowsEdgesAreClippedAndOverlappingGapsCountOnce() {
    // A gap from before the window to 00:10, one over its end, and two overlapping ones inside
    // (an outage during a mass silence); the bot heartbeats whenever it is observed.
    List<SlaMinute> minutes = new ArrayList<>(heartbeats(at(0, 10), at(6, 0), 10));
    minutes.addAll(heartbeats(at(6, 30), at(23, 55), 10));
    ObservationGaps g =
        gaps(
            DAY.minusSeconds(600),
            at(0, 10),
            at(6, 0),
            at(6, 20),
            at(6, 10),
            at(6, 30),
            at(23, 55),
            DAY.plusSeconds(86_400 + 300));

    SlaMeasurement m = SlaMeasurement.measure(minutes, WHOLE_DAY, TRACKED, DEAD, AFTER_DAY, g);

    assertThat(g.spans()).hasSize(3);
    assertThat(m.span()).isEqualTo(Duration.ofHours(24).minusMinutes(10 + 30 + 5));
    assertThat(m.downtime()).isZero();
  }

  @Test
  void aWindowInsideAGapHasNoUptimeFindingAtAll() {
    // Silent all hour and unobserved all hour: neither 0% (critical) nor a clean 100%.
    Instant now = at(12, 0);
    Span hour = new Span(now.minusSeconds(3600), now);
    ObservationGaps g = gaps(at(10, 30), now);

    SlaMeasurement m = SlaMeasurement.measure(List.of(), hour, TRACKED, DEAD, now, g);
    Duration[] burn = SlaMeasurement.downtime(List.of(), hour, TRACKED, DEAD, now, g);

    assertThat(m.uptimeMeasured()).isFalse();
    assertThat(m.downtime()).isZero();
    SlaCheck check = SlaCheck.of(SlaTargets.GUIDE_DEFAULTS, m, 1.5);
    assertThat(check.violations()).extracting(SlaFinding::metric).doesNotContain("uptime_pct");
    assertThat(check.warnings()).extracting(SlaFinding::metric).doesNotContain("uptime_pct");
    assertThat(burn[1]).isZero();
    assertThat(ErrorBudget.burnRate(99.5, burn[0], burn[1])).isZero();
    // Without the gap the same hour is all downtime.
    assertThat(SlaMeasurement.measure(List.of(), hour, TRACKED, DEAD, now).uptimePct()).isZero();
  }
}
