package io.botfleet.deploy.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanaryChoiceTest {

  private static FleetBot bot(String name, BotStatus status) {
    return new FleetBot("id-" + name, name, "perp-momentum", "1.8.3", status, false);
  }

  @Test
  void theCanaryIsTheActiveBotWithTheLowestPnlTodayThenTheRestByName() {
    List<FleetBot> bots =
        List.of(
            bot("pm-01", BotStatus.ACTIVE),
            bot("pm-02", BotStatus.PAUSED),
            bot("pm-03", BotStatus.ACTIVE),
            bot("pm-04", BotStatus.ACTIVE));
    Map<String, BigDecimal> pnl =
        Map.of(
            "id-pm-01", new BigDecimal("500.00"),
            "id-pm-02", new BigDecimal("-900.00"),
            "id-pm-03", new BigDecimal("-12.50"),
            "id-pm-04", new BigDecimal("80"));

    assertThat(CanaryChoice.order(bots, pnl, 1))
        .extracting(FleetBot::name)
        .containsExactly("pm-03", "pm-01", "pm-02", "pm-04");
  }

  @Test
  void aBotWithoutPnlTodayIsNotAssumedToHaveLittleAtStake() {
    List<FleetBot> bots = List.of(bot("pm-01", BotStatus.ACTIVE), bot("pm-02", BotStatus.ACTIVE));

    assertThat(
            CanaryChoice.order(bots, Map.of("id-pm-02", new BigDecimal("1000")), 1).get(0).name())
        .isEqualTo("pm-02");
    assertThat(CanaryChoice.order(bots, Map.of(), 1).get(0).name()).isEqualTo("pm-01");
  }

  @Test
  void withoutEnoughActiveBotsThereIsNoCanary() {
    List<FleetBot> bots = List.of(bot("pm-01", BotStatus.DEAD), bot("pm-02", BotStatus.PAUSED));

    assertThatThrownBy(() -> CanaryChoice.order(bots, Map.of(), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found 0");
  }
}
