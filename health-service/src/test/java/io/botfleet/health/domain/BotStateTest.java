package io.botfleet.health.domain;

import static io.botfleet.health.domain.TestHeartbeats.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BotStateTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private final BotState bot =
      new BotState(
          new TrackedBot("bot-1", "spot-arb-01", "spot-arb", "binance", "arb", false, NOW), null);
  private long seq;

  @Test
  void alertsFollowStatusChangesOnlyNeverEachHeartbeat() {
    assertThat(types(beat(1, 45, 0))).containsExactly(HealthEventType.STATUS_CHANGED);
    assertThat(types(beat(6, 45, 0)))
        .containsExactly(HealthEventType.STATUS_CHANGED, HealthEventType.ALERT_RAISED);
    assertThat(types(beat(7, 45, 0))).as("still warning: no new alert").isEmpty();
    assertThat(types(beat(6, 1200, 0))).as("other issues, same status").isEmpty();
    List<HealthEvent> critical = beat(12, 45, 0);
    assertThat(types(critical))
        .containsExactly(
            HealthEventType.STATUS_CHANGED,
            HealthEventType.ALERT_RESOLVED,
            HealthEventType.ALERT_RAISED);
    assertThat(critical.get(2).alert().severity()).isEqualTo(AlertSeverity.CRITICAL);
    assertThat(critical.get(2).facts())
        .containsEntry("severity", "critical")
        .containsEntry("agent_id", "bot-1")
        .containsEntry("bot_name", "spot-arb-01")
        .containsEntry("issues", List.of("high_drawdown:12.0%"));
    List<HealthEvent> back = beat(1, 45, 0);
    assertThat(types(back))
        .containsExactly(HealthEventType.STATUS_CHANGED, HealthEventType.ALERT_RESOLVED);
    assertThat(back.get(1).alert().id()).isEqualTo(critical.get(2).alert().id());
    assertThat(bot.openAlert()).isNull();
  }

  @Test
  void aDeadBotThatHeartbeatsIsRecoveredAndItsDeadAlertResolved() {
    beat(1, 45, 0);
    List<HealthEvent> death = bot.declareDead(NOW.plusSeconds(200));
    assertThat(types(death))
        .containsExactly(
            HealthEventType.STATUS_CHANGED, HealthEventType.BOT_DEAD, HealthEventType.ALERT_RAISED);
    assertThat(death.get(1).facts())
        .containsEntry("group", "spot-arb")
        .containsKeys("last_heartbeat", "seconds_since_heartbeat");
    assertThat(bot.declareDead(NOW.plusSeconds(300))).as("dead once").isEmpty();

    List<HealthEvent> back = beat(1, 45, 0);
    assertThat(types(back))
        .containsExactly(
            HealthEventType.STATUS_CHANGED,
            HealthEventType.BOT_RECOVERED,
            HealthEventType.ALERT_RESOLVED);
    assertThat(bot.status()).isEqualTo(HealthStatus.HEALTHY);
  }

  @Test
  void aBotThatNeverHeartbeatIsDeadAThresholdAfterTrackingAndReportsNoLastHeartbeat() {
    assertThat(bot.deadline(NOW, Duration.ofSeconds(120))).isEqualTo(NOW.plusSeconds(120));
    List<HealthEvent> death = bot.declareDead(NOW.plusSeconds(121));
    assertThat(death.get(1).facts()).containsEntry("last_heartbeat", null);
    assertThat(death.get(1).facts().get("seconds_since_heartbeat")).isEqualTo(121.0);
  }

  @Test
  void aStandbyIsNeverDeclaredDead() {
    BotState standby =
        new BotState(new TrackedBot("bot-2", "spare", "spot-arb", "", "", true, NOW), null);
    assertThat(standby.declareDead(NOW.plusSeconds(10_000))).isEmpty();
  }

  @Test
  void theGraceStartMovesTheDeadlineOfEveryBot() {
    beat(1, 45, 0);
    Instant restart = NOW.plusSeconds(500);
    assertThat(bot.deadline(restart, Duration.ofSeconds(120))).isEqualTo(restart.plusSeconds(120));
  }

  @Test
  void aResendIsAnsweredButNotStoredAndAnOlderOneIsRefused() {
    Heartbeat first = TestHeartbeats.with(5, 1, 45, 0, 100);
    assertThat(apply(first).kind()).isEqualTo(HeartbeatOutcome.Kind.ACCEPTED);
    assertThat(apply(first).kind()).isEqualTo(HeartbeatOutcome.Kind.DUPLICATE);
    Heartbeat older =
        new Heartbeat(
            4,
            first.heartbeatTime().minusSeconds(1),
            "2.4.1",
            1,
            45,
            "1",
            1,
            0,
            0,
            0,
            1,
            1,
            0,
            Map.of());
    assertThat(apply(older).kind()).isEqualTo(HeartbeatOutcome.Kind.STALE);
    Heartbeat restarted =
        new Heartbeat(
            1,
            first.heartbeatTime().plusSeconds(5),
            "2.4.1",
            1,
            45,
            "1",
            1,
            0,
            0,
            0,
            1,
            1,
            0,
            Map.of());
    assertThat(apply(restarted).kind()).isEqualTo(HeartbeatOutcome.Kind.ACCEPTED);
  }

  @Test
  void aNewVersionIsAnEvent() {
    beat(1, 45, 0);
    Heartbeat upgraded =
        new Heartbeat(
            100, NOW.plusSeconds(100), "2.5.0", 1, 45, "1", 1, 0, 0, 0, 1, 1, 0, Map.of());
    HeartbeatOutcome outcome = apply(upgraded);
    assertThat(types(outcome.events())).containsExactly(HealthEventType.VERSION_CHANGED);
    assertThat(outcome.events().get(0).facts())
        .containsEntry("previous_version", "2.4.1")
        .containsEntry("version", "2.5.0");
  }

  @Test
  void metricsAreSampledAtMostOncePerInterval() {
    assertThat(apply(TestHeartbeats.with(1, 1, 45, 0, 1), NOW).sampleMetrics()).isTrue();
    assertThat(apply(TestHeartbeats.with(2, 1, 45, 0, 1), NOW.plusSeconds(30)).sampleMetrics())
        .isFalse();
    assertThat(apply(TestHeartbeats.with(3, 1, 45, 0, 1), NOW.plusSeconds(60)).sampleMetrics())
        .isTrue();
  }

  private List<HealthEvent> beat(double drawdown, double latency, long errors) {
    return apply(TestHeartbeats.with(++seq, drawdown, latency, errors, 100)).events();
  }

  private HeartbeatOutcome apply(Heartbeat heartbeat) {
    return apply(heartbeat, NOW.plusSeconds(heartbeat.sequence()));
  }

  private HeartbeatOutcome apply(Heartbeat heartbeat, Instant at) {
    return bot.heartbeat(
        heartbeat,
        HealthEvaluator.evaluate(heartbeat, HealthPolicy.GUIDE_DEFAULTS),
        at,
        new BotState.Liveness(NOW, Duration.ofSeconds(120)),
        MINUTE,
        MINUTE);
  }

  private static List<HealthEventType> types(List<HealthEvent> events) {
    return events.stream().map(HealthEvent::type).toList();
  }
}
