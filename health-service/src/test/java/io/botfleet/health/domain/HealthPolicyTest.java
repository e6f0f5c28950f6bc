package io.botfleet.health.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.common.error.InvalidArgumentException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthPolicyTest {

  static HealthPolicy empty(String group) {
    return new HealthPolicy(
        group,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  @Test
  void anEmptyPolicyOverTheDefaultsIsTheGuides() {
    HealthPolicy effective = empty("spot-arb").over(HealthPolicy.GUIDE_DEFAULTS);

    assertThat(effective.group()).isEqualTo("spot-arb");
    assertThat(effective.drawdownCriticalPct()).contains(10.0);
    assertThat(effective.errorsWarning()).contains(3L);
  }

  @Test
  void nonFiniteThresholdsAreRefused() {
    HealthPolicy nan =
        new HealthPolicy(
            "",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(Double.NaN),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    assertThatThrownBy(() -> nan.over(HealthPolicy.GUIDE_DEFAULTS).check())
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith("policy.drawdown_critical_pct");
  }
}
