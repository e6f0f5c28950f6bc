package io.botfleet.health.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class SlaCheckTest {

  private static final SlaTargets SPOT_ARB = SlaTargets.GUIDE_GROUP_EXAMPLES.get("spot-arb");

  private static SlaMeasurement measured(
      double uptime, double drawdown, double trades, double latency) {
    return new SlaMeasurement(
        uptime,
        drawdown,
        OptionalDouble.of(trades),
        OptionalDouble.of(latency),
        1440,
        Duration.ofDays(1),
        Duration.ofMillis(Math.round(86_400_000 * (100 - uptime) / 100)));
  }

  @Test
  void theGuidesWorkedExampleIsCompliantWithAnUptimeWarning() {
    SlaCheck check = SlaCheck.of(SPOT_ARB, measured(99.7, 2.1, 63, 45), 1.5);

    assertThat(check.status()).isEqualTo(SlaCheck.Status.COMPLIANT);
    assertThat(check.violations()).isEmpty();
    assertThat(check.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.metric()).isEqualTo("uptime_pct");
              assertThat(w.target()).isEqualTo(99.5);
              assertThat(w.actual()).isEqualTo(99.7);
              assertThat(w.severity()).isEqualTo(SlaSeverity.WARNING);
            });
    assertThat(check.level()).isEqualTo(SlaSeverity.WARNING);
  }

  @Test
  void drawdownAboveEightyPercentOfTheLimitIsAWarningAboveItAViolation() {
    assertThat(SlaCheck.of(SPOT_ARB, measured(100, 2.5, 63, 45), 1.5).warnings())
        .extracting(SlaFinding::metric)
        .containsExactly("max_drawdown_pct");
    SlaCheck over = SlaCheck.of(SPOT_ARB, measured(100, 3.5, 63, 45), 1.5);
    assertThat(over.status()).isEqualTo(SlaCheck.Status.VIOLATION);
    assertThat(over.violations())
        .singleElement()
        .extracting(SlaFinding::severity)
        .isEqualTo(SlaSeverity.VIOLATION);
  }

  @Test
  void beyondTheCriticalFactorIsCritical() {
    SlaTargets guide = SlaTargets.GUIDE_DEFAULTS;
    // The guide's example: drawdown 8% against 5%.
    assertThat(SlaCheck.of(guide, measured(100, 8.0, 63, 45), 1.5).level())
        .isEqualTo(SlaSeverity.CRITICAL);
    assertThat(SlaCheck.of(guide, measured(100, 7.5, 63, 45), 1.5).level())
        .isEqualTo(SlaSeverity.VIOLATION);
    assertThat(SlaCheck.of(guide, measured(100, 7.5, 63, 45), 1.4).level())
        .isEqualTo(SlaSeverity.CRITICAL);
    // Uptime: 99.5 allows 0.5 points of downtime; critical beyond 0.75.
    assertThat(SlaCheck.of(guide, measured(99.3, 1, 63, 45), 1.5).level())
        .isEqualTo(SlaSeverity.VIOLATION);
    assertThat(SlaCheck.of(guide, measured(99.2, 1, 63, 45), 1.5).level())
        .isEqualTo(SlaSeverity.CRITICAL);
    assertThat(SlaCheck.of(guide, measured(100, 1, 63, 751), 1.5).level())
        .isEqualTo(SlaSeverity.CRITICAL);
  }

  @Test
  void tooFewTradesIsAViolationButNeverCritical() {
    SlaCheck check = SlaCheck.of(SPOT_ARB, measured(100, 1, 0, 45), 1.5);
    assertThat(check.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.metric()).isEqualTo("min_trades_per_day");
              assertThat(v.severity()).isEqualTo(SlaSeverity.VIOLATION);
            });
  }

  @Test
  void unsetTargetsTakeTheGroupsExampleOrTheGuidesDefaults() {
    assertThat(new SlaTargets(0, 0, 0, 0).over(SlaTargets.defaultsFor("options-mm")))
        .isEqualTo(new SlaTargets(99.9, 5.0, 100, 100));
    assertThat(new SlaTargets(99.0, 0, 20, 0).over(SlaTargets.defaultsFor("my-group")))
        .isEqualTo(new SlaTargets(99.0, 5.0, 20, 500));
  }

  @Test
  void burnRateAlertsNeedTheLongAndTheShortWindow() {
    assertThat(BurnRateAlert.of(20, 20, 15, 3)).isEqualTo(BurnRateAlert.FAST);
    assertThat(BurnRateAlert.of(0, 20, 15, 3)).isEqualTo(BurnRateAlert.NONE); // already over
    assertThat(BurnRateAlert.of(0, 7, 5, 6.5)).isEqualTo(BurnRateAlert.SLOW);
    assertThat(BurnRateAlert.of(0, 0, 5, 6.5)).isEqualTo(BurnRateAlert.NONE);
  }

  @Test
  void reliabilityIsFullForACleanMonthAndFallsWithDowntimeViolationsAndIncidents() {
    assertThat(ReliabilityScore.of(100, 0, 0)).isEqualTo(100.0);
    assertThat(ReliabilityScore.of(99, 1, 2)).isEqualTo(40 + 24 + 16);
    assertThat(ReliabilityScore.of(90, 9, 30)).isEqualTo(0.0);
  }
}
