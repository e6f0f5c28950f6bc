package io.botfleet.deploy.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.deploy.domain.GateMargins;
import io.botfleet.deploy.domain.RolloutParameters;
import io.botfleet.deploy.domain.RolloutPlan;
import io.botfleet.deploy.domain.RolloutStep;
import io.botfleet.deploy.domain.Selector;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanJsonTest {

  @Test
  void aPlanSurvivesTheRoundTripThroughItsStoredForm() {
    RolloutPlan plan =
        new RolloutPlan(
            List.of(
                new RolloutStep.Update(1, 0, "canary"),
                new RolloutStep.Pause(null),
                new RolloutStep.Pause(Duration.ofMillis(1500)),
                new RolloutStep.Analysis(Duration.ofMinutes(30), new GateMargins(1.5, 20, 3)),
                new RolloutStep.Update(0, 100, "rolling")));

    assertThat(PlanJson.readPlan(PlanJson.write(plan))).isEqualTo(plan);
  }

  @Test
  void parametersAndSelectorsSurviveTooAndAnEmptyObjectMeansTheDefaults() {
    RolloutParameters p =
        new RolloutParameters(
            Duration.ofMinutes(5),
            3,
            0,
            Duration.ofSeconds(10),
            1,
            Duration.ofSeconds(90),
            true,
            new GateMargins(1, 10, 1),
            Duration.ofSeconds(30));

    assertThat(PlanJson.readParameters(PlanJson.write(p))).isEqualTo(p);
    assertThat(PlanJson.readParameters("{}")).isEqualTo(RolloutParameters.DEFAULTS);
    assertThat(PlanJson.readSelector(PlanJson.write(Selector.group("options-mm"))))
        .isEqualTo(Selector.group("options-mm"));
    assertThat(PlanJson.readSelector(PlanJson.write(Selector.bots(List.of("a", "b")))))
        .isEqualTo(Selector.bots(List.of("a", "b")));
  }
}
