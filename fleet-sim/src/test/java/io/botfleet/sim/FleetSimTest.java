package io.botfleet.sim;

import static io.botfleet.fleet.v1.AckState.ACK_STATE_DONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.health.v1.Heartbeat;
import io.botfleet.sdk.fake.FakeCommand;
import io.botfleet.sdk.fake.FakeControlPlane;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The simulator as a program: its command line, against a fake control plane on a local port (real
 * HTTP/2 connections), running the guide's 12-bot fleet.
 */
class FleetSimTest {

  @TempDir Path dir;
  FakeControlPlane plane;
  FleetSim sim;
  CompletableFuture<Integer> exit;
  final ByteArrayOutputStream output = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws Exception {
    plane = FakeControlPlane.onLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    if (sim != null) {
      sim.stop();
      exit.join();
    }
    plane.close();
  }

  @Test
  void theGuidesTwelveBotFleetEnrollsHeartbeatsTradesAndObeysCommands() throws Exception {
    Path tokens = dir.resolve("tokens.txt");
    List<String> lines = new ArrayList<>();
    for (BotProfile bot : Fleets.guideFleet()) {
      lines.add(bot.name() + " " + plane.issueToken(bot.name()));
    }
    Files.write(tokens, lines);
    run("--tokens", tokens.toString(), "--control-port", "0");

    // Every bot enrolled, keeps its key file 0600, and heartbeats its group's version.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Fleets.guideFleet().stream().allMatch(b -> heartbeating(b.name())));
    for (BotProfile bot : Fleets.guideFleet()) {
      Path keyFile = dir.resolve("keys").resolve(bot.name() + ".key");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
          .isEqualTo("rw-------");
      assertThat(last(bot.name()).getVersion()).isEqualTo(bot.version());
    }
    assertThat(last("options-mm-01").getCustomMetricsMap()).containsKey("delta_exposure");
    assertThat(last("spot-arb-01").getCustomMetricsMap()).containsKey("spread_capture_bps");
    // Trades accumulate and their fills reach billing.
    await().until(() -> last("options-mm-02").getTradeCount() > 5);
    await().until(() -> !plane.fills(agent("options-mm-02")).isEmpty());

    // pause: the paused bot stops trading, the others go on.
    FakeCommand pause = plane.send(agent("options-mm-03"), "pause", Map.of("reason", "volatility"));
    await().until(() -> pause.lastState() == ACK_STATE_DONE);
    long pausedTrades = settledTrades("options-mm-03");
    long otherTrades = last("options-mm-04").getTradeCount();
    Thread.sleep(1500);
    assertThat(last("options-mm-03").getTradeCount()).isEqualTo(pausedTrades);
    assertThat(last("options-mm-04").getTradeCount()).isGreaterThan(otherTrades);

    // emergency stop: flat, no orders, no more trades.
    FakeCommand stop =
        plane.send(
            agent("options-mm-01"),
            "emergency_stop",
            Map.of(
                "reason",
                "exchange incident",
                "actions",
                List.of(
                    "cancel_all_open_orders", "close_all_positions_market", "halt_trading_loop")));
    await().until(() -> stop.lastState() == ACK_STATE_DONE);
    await()
        .until(
            () ->
                last("options-mm-01").getOpenPositions() == 0
                    && last("options-mm-01").getOpenOrders() == 0);

    // update_version: the heartbeats report the new version.
    FakeCommand update =
        plane.send(agent("spot-arb-02"), "update_version", Map.of("new_version", "2.5.0"));
    await().until(() -> update.lastState() == ACK_STATE_DONE);
    await().until(() -> last("spot-arb-02").getVersion().equals("2.5.0"));

    // Faults over the control port: a drawdown spike, then a killed bot that goes silent.
    // The spike leaves the drawdown at 15 %; the PnL walk goes on from there (about 0.1 % a
    // second at the test's activity), so the next heartbeats show it near 15, not exactly.
    control("drawdown perp-momentum-02 15");
    await().until(() -> last("perp-momentum-02").getDrawdownPct() >= 14);
    control("kill spot-arb-03");
    await().until(() -> !plane.commandStreamOpen(agent("spot-arb-03")));
    int afterKill = plane.heartbeats(agent("spot-arb-03")).size();
    Thread.sleep(1000);
    assertThat(plane.heartbeats(agent("spot-arb-03")).size()).isLessThanOrEqualTo(afterKill + 1);
    control("revive spot-arb-03");
    await().until(() -> plane.heartbeats(agent("spot-arb-03")).size() > afterKill + 2);

    assertThat(plane.refusals()).isEmpty();
    assertThat(control("status")).contains("options-mm-01").contains("stopped").contains("2.5.0");
  }

  @Test
  void aStandbyStaysSilentUntilItTakesOverADeadBotsPositions() throws Exception {
    Path tokens = dir.resolve("tokens.txt");
    Files.write(
        tokens,
        List.of(
            "options-mm-01 " + plane.issueToken("options-mm-01"),
            "options-mm-05 " + plane.issueToken("options-mm-05") + " standby=true"));
    run("--tokens", tokens.toString(), "--control-port", "0");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> heartbeating("options-mm-01") && agent("options-mm-05") != null);
    await().until(() -> plane.commandStreamOpen(agent("options-mm-05")));
    Thread.sleep(500);
    assertThat(plane.heartbeats(agent("options-mm-05")))
        .as("a dormant standby sends none")
        .isEmpty();
    assertThat(last("options-mm-01").getOpenPositions()).isPositive();

    control("kill options-mm-01");
    FakeCommand failover =
        plane.send(
            agent("options-mm-05"),
            "assume_responsibility",
            Map.of(
                "from_bot",
                agent("options-mm-01"),
                "group",
                "options-mm",
                "reason",
                "failover_from_dead_bot",
                "reconcile_positions",
                true));

    await().until(() -> failover.lastState() == ACK_STATE_DONE);
    // The dead bot's positions as it died (they drift after its last heartbeat) are now the
    // standby's: it read them "from the exchange" before trading.
    double reconciled =
        failover
            .acks()
            .get(1)
            .getResult()
            .getFieldsMap()
            .get("positions_reconciled")
            .getNumberValue();
    assertThat(reconciled).isPositive();
    await().until(() -> heartbeating("options-mm-05"));
    assertThat(plane.heartbeats(agent("options-mm-05")).get(0).getOpenPositions())
        .isBetween((int) reconciled - 1, (int) reconciled + 1);
  }

  @Test
  void aSecondRunReusesTheKeyFilesWithoutTokens() throws Exception {
    Path tokens = dir.resolve("tokens.txt");
    List<String> lines = new ArrayList<>();
    for (BotProfile bot : Fleets.guideFleet()) {
      lines.add(bot.name() + " " + plane.issueToken(bot.name()));
    }
    Files.write(tokens, lines);
    run("--tokens", tokens.toString());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Fleets.guideFleet().stream().allMatch(b -> heartbeating(b.name())));
    sim.stop();
    exit.join();
    String firstAgent = agent("spot-arb-01");
    int before = plane.heartbeats(firstAgent).size();

    run();

    await().until(() -> plane.heartbeats(firstAgent).size() > before);
    assertThat(plane.agentIdOf("spot-arb-01")).isEqualTo(firstAgent);
    assertThat(plane.refusals()).isEmpty();
  }

  @Test
  void withoutKeyFilesOrTokensItSaysWhichBotsAreMissing() throws Exception {
    run();
    assertThat(exit.join()).isEqualTo(1);
    sim = null;
    assertThat(output.toString(StandardCharsets.UTF_8))
        .contains("12 bots have no key file")
        .contains("spot-arb-01");
  }

  private void run(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--fleet",
                plane.endpoints().fleet().toString(),
                "--identity",
                plane.endpoints().identity().toString(),
                "--permission",
                plane.endpoints().permission().toString(),
                "--health",
                plane.endpoints().health().toString(),
                "--billing",
                plane.endpoints().billing().toString(),
                "--keys-dir",
                dir.resolve("keys").toString(),
                "--heartbeat-interval",
                "100ms",
                "--activity",
                "20000",
                "--status-every",
                "0s",
                "--no-stdin",
                "--seed",
                "42"));
    args.addAll(List.of(extra));
    sim = new FleetSim(new PrintStream(output, true, StandardCharsets.UTF_8));
    exit =
        CompletableFuture.supplyAsync(
            () -> new CommandLine(sim).execute(args.toArray(String[]::new)));
  }

  private String control(String line) throws Exception {
    String text = output.toString(StandardCharsets.UTF_8);
    int at = text.indexOf("http://127.0.0.1:");
    String url = text.substring(at, text.indexOf("/control", at) + "/control".length());
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url))
                    .POST(HttpRequest.BodyPublishers.ofString(line))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private String agent(String name) {
    return plane.agentIdOf(name);
  }

  private boolean heartbeating(String name) {
    String agentId = agent(name);
    return agentId != null && !plane.heartbeats(agentId).isEmpty();
  }

  private Heartbeat last(String name) {
    List<Heartbeat> heartbeats = plane.heartbeats(agent(name));
    return heartbeats.get(heartbeats.size() - 1);
  }

  /** The trade count once two heartbeats in a row agree (the pause has reached the book). */
  private long settledTrades(String name) throws InterruptedException {
    long previous = -1;
    while (true) {
      long now = last(name).getTradeCount();
      if (now == previous) {
        return now;
      }
      previous = now;
      Thread.sleep(300);
    }
  }
}
