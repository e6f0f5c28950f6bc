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
}
