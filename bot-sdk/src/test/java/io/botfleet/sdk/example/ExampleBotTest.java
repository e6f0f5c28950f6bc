package io.botfleet.sdk.example;

import static io.botfleet.fleet.v1.AckState.ACK_STATE_DONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.sdk.BotfleetClient;
import io.botfleet.sdk.fake.FakeCommand;
import io.botfleet.sdk.fake.FakeControlPlane;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of docs/bot-sdk.md works as the page says. */
class ExampleBotTest {

  @TempDir Path dir;

  @Test
  void theExampleBotEnrollsHeartbeatsAndStopsOnTheKillSwitch() throws Exception {
    AtomicInteger positions = new AtomicInteger(3);
    AtomicInteger orders = new AtomicInteger(5);
    ExampleBot bot =
        new ExampleBot(
            new ExampleBot.Exchange() {
              public int cancelAllOrders() {
                return orders.getAndSet(0);
              }

              public int closeAllPositionsAtMarket() {
                return positions.getAndSet(0);
              }

              public int openPositions() {
                return positions.get();
              }

              public int openOrders() {
                return orders.get();
              }

              public double roundTripMillis() {
                return 23.5;
              }
            });
    try (FakeControlPlane plane = FakeControlPlane.inProcess();
        BotfleetClient client =
            BotfleetClient.builder()
                .connections(plane.connections())
                .keyFile(dir.resolve("bot.key"))
                .enrollment("spot-arb-01", plane.issueToken("spot-arb-01"))
                .metrics(bot::metrics)
                .commandHandler(bot)
                .safeModeListener(bot)
                .heartbeatInterval(java.time.Duration.ofMillis(100))
                .build()) {
      client.start();
      String agentId = client.agentId();
      await().until(() -> !plane.heartbeats(agentId).isEmpty());
      assertThat(plane.heartbeats(agentId).get(0).getOpenOrders()).isEqualTo(5);

      plane.permissions().grant(agentId, "place_order");
      plane.permissions().maxOrderSizeUsd(agentId, "5000");
      assertThat(bot.mayPlace(client, "BTC/USDT", usd("1200"), usd("4800"))).isTrue();
      assertThat(bot.mayPlace(client, "BTC/USDT", usd("6000"), usd("6000"))).isFalse();

      FakeCommand stop =
          plane.send(
              agentId,
              "emergency_stop",
              Map.of(
                  "reason",
                  "drill",
                  "actions",
                  List.of("cancel_all_open_orders", "close_all_positions_market")));
      await().until(() -> stop.lastState() == ACK_STATE_DONE);
      assertThat(bot.mayOpenPositions()).isFalse();
      assertThat(bot.mayPlace(client, "BTC/USDT", usd("1200"), usd("4800"))).isFalse();
      assertThat(
              stop.acks()
                  .get(1)
                  .getResult()
                  .getFieldsMap()
                  .get("positions_closed")
                  .getNumberValue())
          .isEqualTo(3);
    }
  }

  private static BigDecimal usd(String amount) {
    return new BigDecimal(amount);
  }
}
