package io.botfleet.deploy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthGateTest {

  private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
  private static final Instant END = START.plus(Duration.ofMinutes(30));

  /** A bot heartbeating every 30 s over the window with these values. */
  private static BotMetrics bot(
      String name, long errors, double latency, double drawdown, String version) {
    List<HeartbeatSample> history = new ArrayList<>();
    for (Instant t = START; t.isBefore(END); t = t.plusSeconds(30)) {
      history.add(
          new HeartbeatSample(t, 1, version, errors, latency, drawdown, HealthStatus.HEALTHY));
    }
    return BotMetrics.of("id-" + name, name, history, version);
  }

  private static List<BotMetrics> group() {
    return List.of(bot("b1", 0, 50, 1.0, "1.8.3"), bot("b2", 1, 60, 2.0, "1.8.3"));
  }

  private static GateVerdict judge(List<BotMetrics> subjects, List<BotMetrics> baseline) {
    return HealthGate.evaluate(
        subjects, baseline, "group", GateMargins.DEFAULT, "1.9.0", START, END);
  }

  @Test
  void aCanaryWithinTheMarginsPasses() {
    GateVerdict verdict = judge(List.of(bot("canary", 2, 80, 3.4, "1.9.0")), group());

    assertThat(verdict.result()).isEqualTo(AnalysisResult.SUCCESSFUL);
  }

  @Test
  void moreErrorsThanTheGroupByMoreThanTheMarginFail() {
    GateVerdict verdict = judge(List.of(bot("canary", 3, 55, 1.5, "1.9.0")), group());

    assertThat(verdict.result()).isEqualTo(AnalysisResult.FAILED);
    assertThat(verdict.reasons())
        .containsExactly("canary error_count 3.00/hb vs group 0.50/hb (margin 2)");
  }

  @Test
  void latencyAndDrawdownAreJudgedToo() {
    GateVerdict verdict = judge(List.of(bot("canary", 0, 90, 3.6, "1.9.0")), group());

    assertThat(verdict.result()).isEqualTo(AnalysisResult.FAILED);
    assertThat(verdict.reasons())
        .containsExactly(
            "canary latency 90.0 ms vs group 55.0 ms (margin 50%)",
            "canary drawdown 3.60% vs group 1.50% (margin 2 pp)");
  }

  @Test
  void aCanaryThatSentNothingWithTheNewVersionIsInconclusiveNeverAPass() {
    BotMetrics silent = BotMetrics.of("id-c", "canary", List.of(), "1.9.0");

    GateVerdict verdict = judge(List.of(silent), group());

    assertThat(verdict.result()).isEqualTo(AnalysisResult.INCONCLUSIVE);
    assertThat(verdict.reasons())
        .containsExactly("canary sent no heartbeat with 1.9.0 over the analysis");
  }

  @Test
  void aCanaryThatFellSilentHalfwayIsInconclusive() {
    List<HeartbeatSample> early =
        List.of(
            new HeartbeatSample(START.plusSeconds(60), 1, "1.9.0", 0, 50, 1, HealthStatus.HEALTHY));

    GateVerdict verdict = judge(List.of(BotMetrics.of("id-c", "canary", early, "1.9.0")), group());

    assertThat(verdict.result()).isEqualTo(AnalysisResult.INCONCLUSIVE);
    assertThat(verdict.reasons().get(0)).startsWith("canary has been silent since");
  }

  @Test
  void withoutABaselineNothingCanBeConcluded() {
    GateVerdict verdict =
        judge(
            List.of(bot("canary", 0, 50, 1, "1.9.0")),
            List.of(BotMetrics.of("x", "x", List.of(), null)));

    assertThat(verdict.result()).isEqualTo(AnalysisResult.INCONCLUSIVE);
  }

  @Test
  void aCriticalMomentFailsEvenWhenTheAveragesLookFine() {
    List<HeartbeatSample> history = new ArrayList<>();
    for (Instant t = START; t.isBefore(END); t = t.plusSeconds(30)) {
      HealthStatus status =
          t.equals(START.plusSeconds(600)) ? HealthStatus.CRITICAL : HealthStatus.HEALTHY;
      history.add(new HeartbeatSample(t, 1, "1.9.0", 0, 50, 1, status));
    }

    GateVerdict verdict =
        judge(List.of(BotMetrics.of("id-c", "canary", history, "1.9.0")), group());

    assertThat(verdict.result()).isEqualTo(AnalysisResult.FAILED);
    assertThat(verdict.reasons()).containsExactly("canary was critical during the analysis");
  }

  @Test
  void aDeadCriticalOrRevertedBotFailsAtOnce() {
    BotHealth dead = new BotHealth("c", HealthStatus.DEAD, List.of(), "1.9.0", START, 0);
    BotHealth critical =
        new BotHealth("c", HealthStatus.CRITICAL, List.of("high_errors:15"), "1.9.0", START, 0);
    BotHealth reverted = new BotHealth("c", HealthStatus.HEALTHY, List.of(), "1.8.3", START, 0);
    BotHealth fine =
        new BotHealth("c", HealthStatus.WARNING, List.of("elevated_errors:4"), "1.9.0", START, 0);

    assertThat(HealthGate.immediateFailure("canary", dead, "1.9.0")).contains("canary is dead");
    assertThat(HealthGate.immediateFailure("canary", critical, "1.9.0"))
        .contains("canary is critical (high_errors:15)");
    assertThat(HealthGate.immediateFailure("canary", reverted, "1.9.0"))
        .contains("canary reports version 1.8.3 again");
    assertThat(HealthGate.immediateFailure("canary", fine, "1.9.0")).isEmpty();
  }

  @Test
  void onlyHeartbeatsOfTheNewVersionCountForTheUpdatedBots() {
    List<HeartbeatSample> mixed =
        List.of(
            new HeartbeatSample(
                START.plusSeconds(900), 1, "1.8.3", 50, 50, 1, HealthStatus.HEALTHY),
            new HeartbeatSample(
                START.plusSeconds(1000), 1, "1.9.0", 1, 50, 1, HealthStatus.HEALTHY));

    BotMetrics m = BotMetrics.of("id", "canary", mixed, "1.9.0");

    assertThat(m.samples()).isEqualTo(1);
    assertThat(m.errorsPerHeartbeat()).isEqualTo(1.0);
  }
}
