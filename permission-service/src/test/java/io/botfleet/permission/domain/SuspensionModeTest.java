package io.botfleet.permission.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SuspensionModeTest {

  @Test
  void anEmergencyStopIsNeverWeakenedByAPause() {
    assertThat(SuspensionMode.PAUSED.over(null)).isEqualTo(SuspensionMode.PAUSED);
    assertThat(SuspensionMode.PAUSED.over(SuspensionMode.STOPPED))
        .isEqualTo(SuspensionMode.STOPPED);
    assertThat(SuspensionMode.STOPPED.over(SuspensionMode.PAUSED))
        .isEqualTo(SuspensionMode.STOPPED);
  }

  @Test
  void aResumeLiftsPausesOnlyAndAFullUnsuspendLiftsBoth() {
    assertThat(SuspensionMode.liftedBy(SuspensionMode.PAUSED))
        .containsExactly(SuspensionMode.PAUSED);
    assertThat(SuspensionMode.liftedBy(SuspensionMode.STOPPED))
        .containsExactlyInAnyOrder(SuspensionMode.PAUSED, SuspensionMode.STOPPED);
    assertThat(SuspensionMode.liftedBy(null))
        .containsExactlyInAnyOrder(SuspensionMode.PAUSED, SuspensionMode.STOPPED);
  }
}
