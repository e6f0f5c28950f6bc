package io.botfleet.fleet.service;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.fleet.config.FleetConfig;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The start-up check of {@code botfleet.fleet.command-retention}. */
class CommandRetentionCheckTest {

  @Test
  void aRetentionThatIsNotPositiveStopsTheStartWithTheSettingNamed() {
    for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofDays(-1)}) {
      assertThatThrownBy(() -> retention(bad).check())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("botfleet.fleet.command-retention must be positive")
          .hasMessageContaining(bad.toString());
    }
    assertThatCode(() -> retention(Duration.ofDays(90)).check()).doesNotThrowAnyException();
  }

  private static CommandRetention retention(Duration setting) {
    CommandRetention retention = new CommandRetention();
    retention.config =
        (FleetConfig)
            Proxy.newProxyInstance(
                FleetConfig.class.getClassLoader(),
                new Class<?>[] {FleetConfig.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("commandRetention")) {
                    return setting;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    return retention;
  }
}
