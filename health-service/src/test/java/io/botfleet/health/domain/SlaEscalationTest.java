package io.botfleet.health.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class SlaEscalationTest {

  private static final TrackedBot BOT =
      new TrackedBot("bot-1", "spot-arb-01", "spot-arb", "binance", "arb", false, Instant.EPOCH);
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  private static final double[] CALM = {0, 0, 0, 0};

  private static SlaCheck check(double uptime, double drawdown) {
    return SlaCheck.of(
        SlaTargets.GUIDE_DEFAULTS,
        new SlaMeasurement(
            uptime,
            drawdown,
            OptionalDouble.of(50),
            OptionalDouble.of(45),
            1440,
            Duration.ofDays(1),
            Duration.ZERO),
        1.5);
  }

  private static SlaEscalation decide(SlaState previous, Alert open, SlaCheck check) {
    return SlaEscalation.decide(BOT, previous, open, null, check, BurnRateAlert.NONE, CALM, NOW);
  }

  private static List<HealthEventType> types(SlaEscalation e) {
    return e.events().stream().map(HealthEvent::type).toList();
  }

  private static Alert raised(SlaEscalation e) {
    return e.events().stream()
        .filter(ev -> ev.type() == HealthEventType.ALERT_RAISED)
        .map(HealthEvent::alert)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aWarningIsOnlyRecorded() {
    SlaEscalation e = decide(SlaState.initial("bot-1"), null, check(99.7, 1));
    assertThat(e.events()).isEmpty();
    assertThat(e.warningsToRecord()).extracting(SlaFinding::metric).containsExactly("uptime_pct");
    assertThat(decide(e.state(), null, check(99.7, 1)).warningsToRecord()).isEmpty();
  }

  @Test
  void aViolationRaisesAnAlertAndTheEventOnceAndResolvesWhenCompliant() {
    SlaEscalation first = decide(SlaState.initial("bot-1"), null, check(100, 6));
    assertThat(types(first))
        .containsExactly(HealthEventType.ALERT_RAISED, HealthEventType.SLA_VIOLATION);
    Alert alert = raised(first);
    assertThat(alert.kind()).isEqualTo(Alert.SLA_VIOLATION);
    assertThat(alert.severity()).isEqualTo(AlertSeverity.WARNING);
    assertThat(first.events().get(1).facts())
        .containsKeys("agent_id", "bot_name", "violations", "warnings", "timestamp");

    SlaEscalation again = decide(first.state(), alert, check(100, 6.5));
    assertThat(again.events()).isEmpty();

    SlaEscalation over = decide(again.state(), alert, check(100, 1));
    assertThat(types(over)).containsExactly(HealthEventType.ALERT_RESOLVED);
    assertThat(over.state().alertId()).isNull();
  }

  @Test
  void goingCriticalEmitsSlaCriticalAndACriticalAlertOnce() {
    SlaEscalation violation = decide(SlaState.initial("bot-1"), null, check(100, 6));
    Alert warning = raised(violation);

    SlaEscalation critical = decide(violation.state(), warning, check(100, 8));
    assertThat(types(critical))
        .containsExactly(
            HealthEventType.ALERT_RESOLVED,
            HealthEventType.ALERT_RAISED,
            HealthEventType.SLA_VIOLATION,
            HealthEventType.SLA_CRITICAL);
    assertThat(raised(critical).severity()).isEqualTo(AlertSeverity.CRITICAL);
    assertThat(critical.events().get(3).issues())
        .singleElement()
        .asString()
        .contains("max_drawdown_pct")
        .contains("critical");

    assertThat(decide(critical.state(), raised(critical), check(100, 9)).events()).isEmpty();
  }

  @Test
  void aBurnRateAlertFollowsItsTier() {
    SlaState start = SlaState.initial("bot-1");
    SlaCheck ok = check(100, 1);
    SlaEscalation fast =
        SlaEscalation.decide(
            BOT, start, null, null, ok, BurnRateAlert.FAST, new double[] {200, 40, 20, 4}, NOW);
    Alert burn = raised(fast);
    assertThat(burn.kind()).isEqualTo(Alert.SLA_BURN_RATE);
    assertThat(burn.severity()).isEqualTo(AlertSeverity.CRITICAL);

    SlaEscalation calm =
        SlaEscalation.decide(BOT, fast.state(), null, burn, ok, BurnRateAlert.NONE, CALM, NOW);
    assertThat(types(calm)).containsExactly(HealthEventType.ALERT_RESOLVED);
    assertThat(calm.state().burnAlertId()).isNull();
  }
}
