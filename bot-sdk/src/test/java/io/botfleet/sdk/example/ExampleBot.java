package io.botfleet.sdk.example;

import io.botfleet.sdk.BotfleetClient;
import io.botfleet.sdk.Endpoints;
import io.botfleet.sdk.Fill;
import io.botfleet.sdk.Metrics;
import io.botfleet.sdk.PermissionContext;
import io.botfleet.sdk.PermissionDecision;
import io.botfleet.sdk.SafeModeEpisode;
import io.botfleet.sdk.SafeModeListener;
import io.botfleet.sdk.command.CommandHandler;
import io.botfleet.sdk.command.CommandResult;
import io.botfleet.sdk.command.EmergencyStopCommand;
import io.botfleet.sdk.command.PauseCommand;
import io.botfleet.sdk.command.ResumeCommand;
import io.botfleet.sdk.command.ShutdownCommand;
import io.botfleet.sdk.command.UpdateVersionCommand;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The example bot of docs/bot-sdk.md (compiled and run by ExampleBotTest, so the page stays true).
 * Its strategy and exchange are stand-ins; everything botfleet-facing is real.
 */
public class ExampleBot implements CommandHandler, SafeModeListener {

  /** What the bot's own exchange connector offers (a stand-in here). */
  public interface Exchange {
    int cancelAllOrders();

    int closeAllPositionsAtMarket();

    int openPositions();

    int openOrders();

    double roundTripMillis();
  }

  private final Exchange exchange;
  private volatile boolean mayOpenPositions = true; // the trading loop checks this
  private volatile boolean halted;
  private volatile boolean safeMode;
  private volatile String version = "2.4.1";
  private BigDecimal pnlToday = BigDecimal.ZERO;
  private long tradesToday;
  private long errorsSinceLastHeartbeat;

  public ExampleBot(Exchange exchange) {
    this.exchange = exchange;
  }

  /** Start: enroll on the first run (token from the operator), then reuse the key file. */
  public static BotfleetClient connect(ExampleBot bot, Endpoints endpoints, String token) {
    return BotfleetClient.builder()
        .endpoints(endpoints) // e.g. Endpoints.localhost() for ./fleet up
        .keyFile(Path.of("/var/lib/spot-arb-01/bot.key")) // written 0600 on enrollment
        .enrollment("spot-arb-01", token) // used only while the key file does not exist
        .metrics(bot::metrics)
        .commandHandler(bot)
        .safeModeListener(bot)
        .build();
  }

  // ---- heartbeats: the guide's ten metrics, the version, custom metrics ----

  synchronized Metrics metrics() {
    long errors = errorsSinceLastHeartbeat;
    errorsSinceLastHeartbeat = 0;
    return Metrics.builder()
        .version(version)
        .heartbeatLatencyMs(exchange.roundTripMillis())
        .pnlUsd(pnlToday)
        .drawdownPct(0.8)
        .tradeCount(tradesToday)
        .openPositions(exchange.openPositions())
        .openOrders(exchange.openOrders())
        .errorCount(errors)
        .custom("spread_capture_bps", 1.7) // uptime, memory and CPU default to the JVM's own
        .build();
  }

  /** The trading loop calls this after each trade. */
  public synchronized void traded(Fill fill, BigDecimal pnl, BotfleetClient client) {
    tradesToday++;
    pnlToday = pnlToday.add(pnl);
    client.recordFill(fill); // booked by billing-service with its exact fee
  }

  public boolean mayOpenPositions() {
    return mayOpenPositions && !halted && !safeMode;
  }

  /**
   * The trading loop asks before each order: the bot's own state first, then permission-service
   * (tier, restrictions, a pause the bot may not have heard of yet). A check that cannot be decided
   * (permission-service unreachable, too slow) denies: no order goes out unchecked.
   */
  public boolean mayPlace(
      BotfleetClient client, String pair, BigDecimal sizeUsd, BigDecimal positionAfterUsd) {
    if (!mayOpenPositions()) {
      return false;
    }
    PermissionDecision decision =
        client
            .permissions()
            .checkAndWait(
                "place_order",
                PermissionContext.builder()
                    .exchange("binance")
                    .pair(pair)
                    .orderSizeUsd(sizeUsd)
                    .positionAfterUsd(positionAfterUsd)
                    .build(),
                Duration.ofMillis(250));
    if (!decision.decided()) {
      synchronized (this) {
        errorsSinceLastHeartbeat++; // operators see it in the heartbeat's error count
      }
    }
    return decision.allowed();
  }

  // ---- commands ----

  @Override
  public CommandResult pause(PauseCommand command) {
    mayOpenPositions = false; // keep what is open, open nothing new
    return CommandResult.done();
  }

  @Override
  public CommandResult resume(ResumeCommand command) {
    if (halted) {
      return CommandResult.rejected("emergency-stopped; restart the bot to trade again");
    }
    mayOpenPositions = true;
    return CommandResult.done();
  }

  @Override
  public CommandResult emergencyStop(EmergencyStopCommand command) {
    halted = true; // first, so that nothing new is opened while we clean up
    int cancelled = command.cancelsOrders() ? exchange.cancelAllOrders() : 0;
    int closed = command.closesPositions() ? exchange.closeAllPositionsAtMarket() : 0;
    // destroy_local_keys, if asked, is done by the SDK after this returns.
    return CommandResult.done(Map.of("orders_cancelled", cancelled, "positions_closed", closed));
  }

  @Override
  public CommandResult shutdown(ShutdownCommand command) {
    halted = true;
    exchange.cancelAllOrders();
    exchange.closeAllPositionsAtMarket(); // within command.gracePeriod()
    return CommandResult.done();
  }

  @Override
  public CommandResult updateVersion(UpdateVersionCommand command) {
    // A real bot downloads command.artifactRef() and restarts into it; the new process then
    // reports the new version in its heartbeats, which is what the deployment waits for.
    version = command.newVersion();
    return CommandResult.done();
  }

  // ---- the dead-man's switch ----

  @Override
  public void enterSafeMode(SafeModeEpisode episode) {
    safeMode = true; // nobody can stop us now: open nothing until the control plane is back
  }

  @Override
  public void exitSafeMode(SafeModeEpisode episode) {
    safeMode = false; // commands queued meanwhile (a pause, a stop) arrive right after this
  }
}
