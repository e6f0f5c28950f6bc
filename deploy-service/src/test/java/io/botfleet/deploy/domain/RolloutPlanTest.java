package io.botfleet.deploy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutPlanTest {

  private static final RolloutParameters DEFAULTS = RolloutParameters.DEFAULTS;

  @Test
  void theGuidesCanaryPlanBakesOneBotThenGoesInBatchesOfTwo() {
    RolloutPlan plan = RolloutPlan.defaults(Strategy.CANARY, DEFAULTS, 5);

    assertThat(plan.steps())
        .containsExactly(
            new RolloutStep.Update(1, 0, "canary"),
            new RolloutStep.Analysis(Duration.ofMinutes(30), GateMargins.DEFAULT),
            new RolloutStep.Update(2, 0, "rolling"),
            new RolloutStep.Analysis(Duration.ofSeconds(60), GateMargins.DEFAULT),
            new RolloutStep.Update(2, 0, "rolling"),
            new RolloutStep.Analysis(Duration.ofSeconds(60), GateMargins.DEFAULT));
    assertThat(plan.assign(List.of("c", "a", "b", "d", "e")))
        .containsExactly(
            Map.entry("c", 0),
            Map.entry("a", 1),
            Map.entry("b", 1),
            Map.entry("d", 2),
            Map.entry("e", 2));
    assertThat(plan.canaryCount(5)).isEqualTo(1);
    assertThat(plan.stateAt(0)).isEqualTo(DeploymentState.CANARY);
    assertThat(plan.stateAt(1)).isEqualTo(DeploymentState.CANARY);
    assertThat(plan.stateAt(2)).isEqualTo(DeploymentState.ROLLING);
    assertThat(plan.problem(5)).isEmpty();
  }

  @Test
  void aRollingPlanByPercentRoundsUpAndStartsAtBatchOne() {
    RolloutParameters forty =
        new RolloutParameters(null, 0, 40, null, 1, null, false, null, null).withDefaults();
    RolloutPlan plan = RolloutPlan.defaults(Strategy.ROLLING, forty, 5);

    assertThat(plan.updateSizes(5).values()).containsExactly(2, 2, 1);
    assertThat(plan.assign(List.of("a", "b", "c", "d", "e")).values())
        .containsExactly(1, 1, 2, 2, 3);
    assertThat(plan.stateAt(0)).isEqualTo(DeploymentState.ROLLING);
    assertThat(plan.canaryCount(5)).isZero();
  }

  @Test
  void allAtOnceIsOneUpdateOfEveryBotAndOneAnalysis() {
    RolloutPlan plan = RolloutPlan.defaults(Strategy.ALL_AT_ONCE, DEFAULTS, 7);

    assertThat(plan.steps()).hasSize(2);
    assertThat(plan.updateSizes(7).values()).containsExactly(7);
  }

  @Test
  void aCanaryPlanForOneBotIsJustTheCanary() {
    RolloutPlan plan = RolloutPlan.defaults(Strategy.CANARY, DEFAULTS, 1);

    assertThat(plan.steps()).hasSize(2);
    assertThat(plan.problem(1)).isEmpty();
  }

  @Test
  void aCustomPlanMustReachEveryBot() {
    RolloutPlan plan =
        RolloutPlan.custom(
            List.of(new RolloutStep.Update(1, 0, "canary"), new RolloutStep.Update(0, 50, "")),
            DEFAULTS);

    // 1 + 50 % of 6 (3) = 4 of 6.
    assertThat(plan.problem(6))
        .hasValueSatisfying(p -> assertThat(p).contains("reach 4 of the 6 bots"));
    // 1 + 50 % of 2 (1) = 2 of 2.
    assertThat(plan.problem(2)).isEmpty();
  }

  @Test
  void aCanaryStepCannotFollowARollingOne() {
    RolloutPlan plan =
        RolloutPlan.custom(
            List.of(
                new RolloutStep.Update(2, 0, "rolling"), new RolloutStep.Update(0, 100, "canary")),
            DEFAULTS);

    assertThat(plan.problem(3)).hasValueSatisfying(p -> assertThat(p).contains("cannot follow"));
  }

  @Test
  void customStepsTakeTheirGapsFromTheParameters() {
    RolloutPlan plan =
        RolloutPlan.custom(
            List.of(
                new RolloutStep.Update(1, 0, "canary"),
                new RolloutStep.Analysis(null, null),
                new RolloutStep.Pause(null),
                new RolloutStep.Update(0, 100, ""),
                new RolloutStep.Analysis(null, new GateMargins(5, 0, 0))),
            DEFAULTS);

    assertThat(plan.steps().get(1))
        .isEqualTo(new RolloutStep.Analysis(Duration.ofMinutes(30), GateMargins.DEFAULT));
    assertThat(plan.steps().get(3)).isEqualTo(new RolloutStep.Update(0, 100, "rolling"));
    assertThat(plan.steps().get(4))
        .isEqualTo(new RolloutStep.Analysis(Duration.ofSeconds(60), new GateMargins(5, 50, 2)));
    assertThat(plan.batchOf(3)).isEqualTo(1);
  }
}
