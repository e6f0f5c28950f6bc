package io.botfleet.e2e.story;

import io.botfleet.e2e.RunningFleet;
import io.botfleet.sdk.BotfleetClient;
import io.botfleet.sdk.Endpoints;
import io.botfleet.sdk.Metrics;
import io.botfleet.sdk.SafeModeEpisode;
import io.botfleet.sdk.SafeModeListener;
import io.botfleet.sdk.command.AssumeResponsibilityCommand;
import io.botfleet.sdk.command.CommandHandler;
import io.botfleet.sdk.command.CommandInfo;
import io.botfleet.sdk.command.CommandResult;
import io.botfleet.sdk.command.CustomCommand;
import io.botfleet.sdk.command.EmergencyStopCommand;
import io.botfleet.sdk.command.KeyRotatedEvent;
import io.botfleet.sdk.command.PauseCommand;
import io.botfleet.sdk.command.ResumeCommand;
import io.botfleet.sdk.command.RollbackVersionCommand;
import io.botfleet.sdk.command.ShutdownCommand;
import io.botfleet.sdk.command.UpdateVersionCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A bot of the story tests: the real bot SDK in this JVM, against the running services, recording
 * every command it is handed. A standby sends no heartbeats until it assumes responsibility. It
 * runs version 1.0.0 until update_version switches it (rollback_version switches back) and reports
 * the version it runs in every heartbeat; a version marked {@link #faulty} makes it report errors.
 */
final class E2eBot implements CommandHandler, SafeModeListener {

  final String name;
  final Path keyFile;

  private final List<CommandInfo> commands = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> faultyVersions = new ConcurrentHashMap<>();
  private volatile String version = "1.0.0";
  private volatile String previousVersion;
  private volatile boolean standby;
  private volatile boolean paused;
  private volatile boolean stopped;
  private volatile BotfleetClient client;

  private E2eBot(String name, Path keyFile, boolean standby) {
    this.name = name;
    this.keyFile = keyFile;
    this.standby = standby;
  }

  /** Enrolls with {@code token} and keeps its streams up, heartbeating every {@code interval}. */
  static E2eBot start(
      RunningFleet fleet, String name, String token, boolean standby, Duration interval)
      throws Exception {
    Path dir = Files.createTempDirectory("e2e-bot-" + name);
    E2eBot bot = new E2eBot(name, dir.resolve("bot.key"), standby);
    bot.connect(fleet, token, interval);
    return bot;
  }

  /** The same bot started again after a crash: its key file and command journal, a new client. */
  E2eBot restart(RunningFleet fleet, Duration interval) throws Exception {
    E2eBot again = new E2eBot(name, keyFile, standby);
    again.commands.addAll(commands);
    again.version = version;
    again.previousVersion = previousVersion;
    again.faultyVersions.putAll(faultyVersions);
    again.connect(fleet, null, interval);
    return again;
  }

  private void connect(RunningFleet fleet, String token, Duration interval) throws Exception {
    var builder =
        BotfleetClient.builder()
            .endpoints(
                Endpoints.of(
                    fleet.url("fleet"),
                    fleet.url("identity"),
                    fleet.url("permission"),
                    fleet.url("health"),
                    fleet.url("billing")))
            .keyFile(keyFile)
            .metrics(this::metrics)
            .commandHandler(this)
            .safeModeListener(this)
            .heartbeatInterval(interval)
            .reconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(2));
    if (token != null) {
      builder.enrollment(name, token);
    }
    client = builder.build();
    client.start();
  }

  BotfleetClient client() {
    return client;
  }

  String agentId() {
    return client.agentId();
  }

  /** The commands handed to the bot so far, in order. */
  List<CommandInfo> commands() {
    return List.copyOf(commands);
  }

  /** True once a command of this type was handed to the bot. */
  boolean received(String type) {
    return commands.stream().anyMatch(c -> c.type().equals(type));
  }

  /** The version the bot runs (and reports in its heartbeats). */
  String version() {
    return version;
  }

  /**
   * From now on, running {@code faultyVersion} makes the bot report {@code errorsPerHeartbeat}
   * errors in each heartbeat (health-service's default policy: over 3 a warning, over 10 critical).
   */
  void faulty(String faultyVersion, int errorsPerHeartbeat) {
    faultyVersions.put(faultyVersion, errorsPerHeartbeat);
  }

  boolean paused() {
    return paused;
  }

  boolean stopped() {
    return stopped;
  }

  /** The process dies: streams cut, no goodbye. */
  void kill() {
    client.abort();
  }

  private Metrics metrics() {
    if (standby) {
      return null;
    }
    return Metrics.builder()
        .version(version)
        .heartbeatLatencyMs(20)
        .pnlUsd(new java.math.BigDecimal("12.50"))
        .drawdownPct(0.5)
        .tradeCount(3)
        .openPositions(1)
        .openOrders(2)
        .errorCount(faultyVersions.getOrDefault(version, 0))
        .build();
  }

  @Override
  public CommandResult pause(PauseCommand command) {
    commands.add(command.info());
    paused = true;
    return CommandResult.done();
  }

  @Override
  public CommandResult resume(ResumeCommand command) {
    commands.add(command.info());
    paused = false;
    return CommandResult.done();
  }

  @Override
  public CommandResult emergencyStop(EmergencyStopCommand command) {
    commands.add(command.info());
    stopped = true;
    return CommandResult.done();
  }

  @Override
  public CommandResult shutdown(ShutdownCommand command) {
    commands.add(command.info());
    stopped = true;
    return CommandResult.done();
  }

  @Override
  public CommandResult assumeResponsibility(AssumeResponsibilityCommand command) {
    commands.add(command.info());
    standby = false;
    return CommandResult.done();
  }

  @Override
  public CommandResult updateVersion(UpdateVersionCommand command) {
    commands.add(command.info());
    previousVersion = version;
    version = command.newVersion();
    return CommandResult.done();
  }

  @Override
  public CommandResult rollbackVersion(RollbackVersionCommand command) {
    commands.add(command.info());
    String back = command.previousVersion() != null ? command.previousVersion() : previousVersion;
    if (back == null) {
      return CommandResult.failed("no previous version to return to");
    }
    version = back;
    return CommandResult.done();
  }

  @Override
  public CommandResult custom(CustomCommand command) {
    commands.add(command.info());
    return CommandResult.done();
  }

  @Override
  public void keyRotated(KeyRotatedEvent event) {}

  @Override
  public void enterSafeMode(SafeModeEpisode episode) {}

  @Override
  public void exitSafeMode(SafeModeEpisode episode) {}
}
