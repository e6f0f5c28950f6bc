package io.botfleet.health.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthEvaluatorTest {

  private static final HealthPolicy GUIDE = HealthPolicy.GUIDE_DEFAULTS;

  @Test
  void theGuidesExampleIsHealthy() {
    Evaluation e = HealthEvaluator.evaluate(TestHeartbeats.guide(1), GUIDE);

    assertThat(e.status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(e.issues()).isEmpty();
  }

  @Test
  void issuesAreNamedAsTheGuideNamesThemInItsOrder() {
    Evaluation e = HealthEvaluator.evaluate(TestHeartbeats.with(1, 12, 5001, 11, 4096), GUIDE);

    assertThat(e.texts())
        .containsExactly(
            "high_drawdown:12.0%", "high_latency:5001ms", "high_errors:11", "high_memory:4096MB");
    assertThat(e.status()).isEqualTo(HealthStatus.CRITICAL);
  }

  @Test
  void elevatedIssuesMakeAWarning() {
    Evaluation e = HealthEvaluator.evaluate(TestHeartbeats.with(1, 6.25, 1200.5, 4, 100), GUIDE);

    assertThat(e.texts())
        .containsExactly(
            "elevated_drawdown:6.2%", "elevated_latency:1200.5ms", "elevated_errors:4");
    assertThat(e.status()).isEqualTo(HealthStatus.WARNING);
    assertThat(e.issues().get(0).threshold()).isEqualTo(5.0);
    assertThat(e.issues().get(0).critical()).isFalse();
  }

  @Test
  void thresholdsAreStrict() {
    Evaluation atTheEdge =
        HealthEvaluator.evaluate(TestHeartbeats.with(1, 5, 1000, 3, 2048), GUIDE);

    assertThat(atTheEdge.status()).isEqualTo(HealthStatus.HEALTHY);
  }

  @Test
  void oneHighIssueAmongElevatedOnesIsCritical() {
    Evaluation e = HealthEvaluator.evaluate(TestHeartbeats.with(1, 6, 1500, 4, 3000), GUIDE);

    assertThat(e.status()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(e.texts()).last().isEqualTo("high_memory:3000MB");
  }

  @Test
  void aGroupPolicyMovesTheThresholds() {
    HealthPolicy strict =
        new HealthPolicy(
                "options-mm",
                Optional.empty(),
                Optional.empty(),
                Optional.of(2.0),
                Optional.of(3.0),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty())
            .over(GUIDE);

    Evaluation e = HealthEvaluator.evaluate(TestHeartbeats.with(1, 3.5, 45, 0, 512), strict);

    assertThat(e.texts()).containsExactly("high_drawdown:3.5%");
    assertThat(e.status()).isEqualTo(HealthStatus.CRITICAL);
  }
}
