package io.botfleet.sim;

import io.botfleet.sdk.BotfleetClient;
import io.botfleet.sdk.ClientStatus;
import io.botfleet.sdk.Fill;
import io.botfleet.sdk.Metrics;
import io.botfleet.sdk.SafeModeEpisode;
import io.botfleet.sdk.SafeModeListener;
import io.botfleet.sdk.command.AssumeResponsibilityCommand;
import io.botfleet.sdk.command.CommandHandler;
import io.botfleet.sdk.command.CommandResult;
import io.botfleet.sdk.command.CustomCommand;
import io.botfleet.sdk.command.EmergencyStopCommand;
import io.botfleet.sdk.command.PauseCommand;
import io.botfleet.sdk.command.ResumeCommand;
import io.botfleet.sdk.command.RollbackVersionCommand;
import io.botfleet.sdk.command.ShutdownCommand;
import io.botfleet.sdk.command.UpdateVersionCommand;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * One simulated trading bot: its {@link TradingBook}, the state commands put it in, and the faults
 * injected into it. It is the bot side of its {@link BotfleetClient}: command handler, safe-mode
 * listener and metrics supplier. Every method takes the bot's lock, so commands, heartbeats and
 * faults see one consistent book.
 */
final class SimulatedBot
    implements CommandHandler, SafeModeListener, java.util.function.Supplier<Metrics> {

  private static final System.Logger LOG = System.getLogger(SimulatedBot.class.getName());

  /** What the bot is doing. */
  enum State {
    /** Trading. */
    ACTIVE,
    /** Paused: holds its positions, opens none. */
    PAUSED,
    /** Emergency-stopped: flat, halted. */
    STOPPED,
    /** A dormant standby waiting for assume_responsibility. */
    STANDBY,
    /** Shut down by the control plane (deregistered). */
    SHUT_DOWN,
    /** Killed by a fault: gone without a word, as a crashed process. */
    KILLED
  }

  final BotProfile profile;
  private final Clock clock;
  private final TradingBook book;
  private final Function<String, SimulatedBot> byAgentId;
  private final Instant startedAt;
  private BotfleetClient client;
  private State state;
  private State beforeKill;
  private boolean safeMode;
  private String version;
  private String previousVersion;
  private Instant silentUntil = Instant.MIN;

  SimulatedBot(
      BotProfile profile,
      Clock clock,
      SplittableRandom random,
      double activity,
      Function<String, SimulatedBot> byAgentId) {
    this.profile = profile;
    this.clock = clock;
    this.byAgentId = byAgentId;
    this.startedAt = clock.instant();
    this.book = new TradingBook(profile, random, activity, startedAt);
    this.state = profile.standby() ? State.STANDBY : State.ACTIVE;
    this.version = profile.version();
  }

  synchronized void attach(BotfleetClient client) {
    this.client = client;
  }

  synchronized BotfleetClient client() {
    return client;
  }

  synchronized State state() {
    return state;
  }

  synchronized String version() {
    return version;
  }

  synchronized boolean inSafeMode() {
    return safeMode;
  }

  // ---- heartbeats ----

  @Override
  public synchronized Metrics get() {
    Instant now = clock.instant();
    List<Fill> fills = book.advance(now, mayOpen());
    report(fills);
    if (state == State.STANDBY || state == State.KILLED || now.isBefore(silentUntil)) {
      return null;
    }
    Metrics.Builder metrics =
        Metrics.builder()
            .version(version)
            .uptimeSeconds(Duration.between(startedAt, now).toSeconds())
            .heartbeatLatencyMs(round(book.latencyMs(now)))
            .pnlUsd(book.pnlUsd())
            .drawdownPct(round(book.drawdownPct()))
            .tradeCount(book.trades())
            .openPositions(book.positions())
            .openOrders(book.orders())
            .memoryMb(round(book.memoryMb()))
            .cpuPct(round(book.cpuPct(state == State.ACTIVE)))
            .errorCount(book.takeErrors());
    book.custom().forEach(metrics::custom);
    return metrics.build();
  }

  private boolean mayOpen() {
    return state == State.ACTIVE && !safeMode;
  }

  private void report(List<Fill> fills) {
    if (client != null && !fills.isEmpty()) {
      try {
        fills.forEach(client::recordFill);
      } catch (IllegalStateException closed) {
        // the client ended (shutdown, destroyed keys): nowhere to report to
      }
    }
  }

  // ---- commands ----

  @Override
  public synchronized CommandResult pause(PauseCommand command) {
    settle();
    if (state == State.STOPPED || state == State.SHUT_DOWN) {
      return CommandResult.done(Map.of("state", state.name().toLowerCase()));
    }
    state = State.PAUSED;
    return CommandResult.done(Map.of("state", "paused", "open_positions", book.positions()));
  }

  @Override
  public synchronized CommandResult resume(ResumeCommand command) {
    settle();
    if (state != State.PAUSED) {
      return CommandResult.rejected(
          "only a paused bot resumes; this one is " + state.name().toLowerCase());
    }
    state = State.ACTIVE;
    return CommandResult.done();
  }

  @Override
  public synchronized CommandResult emergencyStop(EmergencyStopCommand command) {
    settle();
    List<Fill> fills = new ArrayList<>();
    int cancelled = command.cancelsOrders() ? book.cancelOrders() : 0;
    int closed = command.closesPositions() ? book.closePositions(clock.instant(), fills) : 0;
    report(fills);
    state = State.STOPPED;
    LOG.log(
        System.Logger.Level.WARNING,
        "{0}: emergency stop ({1}): {2} orders cancelled, {3} positions closed",
        profile.name(),
        command.reason(),
        cancelled,
        closed);
    return CommandResult.done(
        Map.of(
            "orders_cancelled",
            cancelled,
            "positions_closed",
            closed,
            "pnl_usd",
            book.pnlUsd().toPlainString()));
  }

  @Override
  public synchronized CommandResult shutdown(ShutdownCommand command) {
    settle();
    List<Fill> fills = new ArrayList<>();
    book.cancelOrders();
    book.closePositions(clock.instant(), fills);
    report(fills);
    state = State.SHUT_DOWN;
    return CommandResult.done(Map.of("pnl_usd", book.pnlUsd().toPlainString()));
  }

  @Override
  public synchronized CommandResult assumeResponsibility(AssumeResponsibilityCommand command) {
    settle();
    if (state != State.STANDBY && state != State.ACTIVE) {
      return CommandResult.rejected("cannot take over while " + state.name().toLowerCase());
    }
    int adopted = 0;
    if (command.reconcilePositions()) {
      // A stateful handover: read the dead bot's open positions "from the exchange" first.
      SimulatedBot dead = byAgentId.apply(command.fromBot());
      if (dead != null) {
        adopted = dead.positionsForHandover();
        book.adoptPositions(adopted);
      }
    }
    state = State.ACTIVE;
    LOG.log(
        System.Logger.Level.WARNING,
        "{0}: taking over from {1} ({2} positions reconciled)",
        profile.name(),
        command.fromBot(),
        adopted);
    return CommandResult.done(Map.of("positions_reconciled", adopted));
  }

  @Override
  public synchronized CommandResult updateVersion(UpdateVersionCommand command) {
    settle();
    previousVersion = version;
    version = command.newVersion();
    return CommandResult.done(Map.of("previous_version", previousVersion, "version", version));
  }

  @Override
  public synchronized CommandResult rollbackVersion(RollbackVersionCommand command) {
    settle();
    String target = command.previousVersion() != null ? command.previousVersion() : previousVersion;
    if (target == null) {
      return CommandResult.rejected("no previous version to roll back to");
    }
    String from = version;
    version = target;
    previousVersion = null;
    return CommandResult.done(Map.of("version", version, "rolled_back_from", from));
  }

  @Override
  public synchronized CommandResult custom(CustomCommand command) {
    if (command.type().equals("flatten")) {
      settle();
      List<Fill> fills = new ArrayList<>();
      int closed = book.closePositions(clock.instant(), fills);
      report(fills);
      return CommandResult.done(Map.of("positions_closed", closed));
    }
    return CommandHandler.super.custom(command);
  }

  @Override
  public synchronized void enterSafeMode(SafeModeEpisode episode) {
    settle();
    safeMode = true;
  }

  @Override
  public synchronized void exitSafeMode(SafeModeEpisode episode) {
    settle();
    safeMode = false;
  }

  /** Brings the book to now under the state before a change. */
  private void settle() {
    report(book.advance(clock.instant(), mayOpen()));
  }

  private synchronized int positionsForHandover() {
    return book.positions();
  }

  // ---- faults ----

  /** The process dies: streams cut, nothing said. */
  synchronized void kill() {
    settle();
    if (state != State.KILLED) {
      beforeKill = state;
    }
    state = State.KILLED;
    if (client != null) {
      client.abort();
    }
  }

  /**
   * A killed bot comes back (its client is replaced by the simulator) in the state it was in, as a
   * bot that keeps its state on disk would: a paused or stopped bot does not trade after a crash.
   */
  synchronized void revived() {
    state = beforeKill != null ? beforeKill : State.ACTIVE;
  }

  synchronized void spikeDrawdown(double pct) {
    settle();
    book.spikeDrawdown(pct);
  }

  synchronized void addErrors(long count) {
    book.addErrors(count);
  }

  synchronized void latency(double ms, Duration duration) {
    book.latencyFor(ms, clock.instant().plus(duration));
  }

  /** No heartbeats for {@code duration} (the streams stay open). */
  synchronized void silence(Duration duration) {
    silentUntil = clock.instant().plus(duration);
  }

  /** One line of the status table. */
  synchronized String[] row() {
    ClientStatus status = client == null ? null : client.status();
    return new String[] {
      profile.name(),
      state.name().toLowerCase() + (safeMode ? "+safe" : ""),
      version,
      book.pnlUsd().toPlainString(),
      String.format("%.1f", book.drawdownPct()),
      Long.toString(book.trades()),
      Integer.toString(book.positions()),
      Integer.toString(book.orders()),
      status == null || status.healthStatus() == null ? "-" : status.healthStatus().toLowerCase(),
      status == null ? "-" : Integer.toString(status.keyVersion())
    };
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
