package io.botfleet.deploy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VersionMapTest {

  private static FleetBot bot(String name, String version, BotStatus status) {
    return new FleetBot("id-" + name, name, "g", version, status, false);
  }

  @Test
  void versionsAreNewestFirstComparedPartByPart() {
    VersionMap map =
        VersionMap.of(
            List.of(
                bot("b", "1.9.2", BotStatus.ACTIVE),
                bot("a", "1.10.0", BotStatus.ACTIVE),
                bot("c", "1.9.2", BotStatus.DEAD),
                bot("d", "1.9.10", BotStatus.PAUSED),
                bot("e", "2.0.0", BotStatus.DEREGISTERED)));

    assertThat(map.versions())
        .containsExactly(
            new VersionMap.Entry("1.10.0", List.of("a")),
            new VersionMap.Entry("1.9.10", List.of("d")),
            new VersionMap.Entry("1.9.2", List.of("b", "c")));
    assertThat(map.skew()).isTrue();
  }

  @Test
  void oneVersionIsNoSkew() {
    assertThat(VersionMap.of(List.of(bot("a", "1.0", BotStatus.ACTIVE))).skew()).isFalse();
  }
}
