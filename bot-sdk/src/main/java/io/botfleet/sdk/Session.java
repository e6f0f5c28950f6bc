package io.botfleet.sdk;

import io.botfleet.billing.v1.BillingServiceGrpc;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.permission.v1.PermissionServiceGrpc;
import io.botfleet.sdk.command.CommandInfo;
import io.botfleet.sdk.command.CommandResult;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SigningClientInterceptor;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The running parts of a started client, wired together: signed channels, the streams (heartbeats,
 * commands, permission checks), the command processor, the key rotator, the fill reporter, the
 * dead-man's switch and the tick that drives heartbeats and the switch.
 */
final class Session {

  private static final System.Logger LOG = System.getLogger(Session.class.getName());

  /**
   * The long-lived streams: verified once when they open, they stay valid across a key rotation
   * (which does not wait for them to end, and does not reopen them; a reopened one is signed with
   * the key current then).
   */
  static final Set<String> LONG_LIVED =
      Set.of(
          FleetHealthServiceGrpc.getStreamHeartbeatsMethod().getFullMethodName(),
          FleetServiceGrpc.getStreamCommandsMethod().getFullMethodName(),
          PermissionServiceGrpc.getStreamPermissionChecksMethod().getFullMethodName());

  final String bot;
  final DeadMansSwitch deadMan;
  final HeartbeatStream heartbeats;
  final CommandStream commands;
  final CommandProcessor processor;
  final PermissionStream permissions;
  final FillReporter fills;
  private final ScheduledFuture<?> ticker;
  private final ScheduledFuture<?> flusher;

  /**
   * Wires and starts everything.
   *
   * @param endClient called (on the scheduler) when a command ends the client; true if the keys
   *     were destroyed
   */
  Session(
      ClientConfig config,
      String bot,
      CredentialStore store,
      Connections.Slot slot,
      DeadMansSwitch deadMan,
      ScheduledExecutorService scheduler,
      SerialExecutor normalLane,
      SerialExecutor urgentLane,
      Consumer<Boolean> endClient) {
    this.bot = bot;
    this.deadMan = deadMan;
    InFlightCalls inFlight = new InFlightCalls(store::generation, LONG_LIVED);
    SigningClientInterceptor signing =
        new SigningClientInterceptor(new RequestSigner(store::current, config.clock()));
    Channel fleet = ClientInterceptors.intercept(slot.fleet(), signing, inFlight);
    Channel identity = ClientInterceptors.intercept(slot.identity(), signing, inFlight);
    Channel permission = ClientInterceptors.intercept(slot.permission(), signing, inFlight);
    Channel health = ClientInterceptors.intercept(slot.health(), signing, inFlight);
    Channel billing = ClientInterceptors.intercept(slot.billing(), signing, inFlight);

    String agentId = store.current().agentId();
    java.nio.file.Path journalFile = config.journalFile();
    CommandJournal journal =
        journalFile == null
            ? CommandJournal.inMemory(agentId)
            : CommandJournal.onDisk(journalFile, agentId);
    KeyRotator rotator =
        new KeyRotator(
            bot,
            IdentityServiceGrpc.newBlockingStub(identity),
            store,
            inFlight,
            config.handler(),
            config.callTimeout());
    this.commands =
        new CommandStream(
            bot,
            FleetServiceGrpc.newStub(fleet),
            deadMan,
            scheduler,
            backoff(config),
            Math.max(5000, config.confirmMillis() * 2));
    this.processor =
        new CommandProcessor(
            bot,
            config.handler(),
            journal,
            normalLane,
            urgentLane,
            config.clock(),
            commands,
            new CommandProcessor.Hooks() {
              @Override
              public CommandResult rotateKey(CommandInfo info, String rotationId) {
                try {
                  return rotator.rotate(info, rotationId);
                } catch (Exception e) {
                  LOG.log(System.Logger.Level.ERROR, bot + ": key rotation failed", e);
                  return CommandResult.failed("key rotation failed: " + e.getMessage());
                }
              }

              @Override
              public void destroyLocalKeys() throws Exception {
                deadMan.disarm();
                store.destroy();
                LOG.log(System.Logger.Level.WARNING, "{0}: local keys destroyed", bot);
              }

              @Override
              public void endClient(String why) {
                LOG.log(System.Logger.Level.WARNING, "{0}: client ending: {1}", bot, why);
                scheduler.execute(() -> endClient.accept(store.destroyed()));
              }
            });
    commands.receiver(processor::receive);
    this.fills =
        new FillReporter(bot, BillingServiceGrpc.newStub(billing), config.callTimeout().toMillis());
    this.heartbeats =
        new HeartbeatStream(
            bot,
            FleetHealthServiceGrpc.newStub(health),
            config.metrics(),
            this::sdkMetrics,
            deadMan,
            scheduler,
            config.clock(),
            config.heartbeatInterval().toMillis(),
            config.heartbeatAnswerTimeout().toMillis(),
            backoff(config));

    // Opened by the first check, not here: most bots never check.
    this.permissions =
        new PermissionStream(
            bot,
            PermissionServiceGrpc.newStub(permission),
            scheduler,
            backoff(config),
            PermissionChecks.MAX_IN_FLIGHT);

    commands.open();
    heartbeats.open();
    long tick = config.tickMillis();
    // Spread the ticks of many clients in one process over the tick period.
    this.ticker =
        scheduler.scheduleAtFixedRate(
            this::tick, ThreadLocalRandom.current().nextLong(tick), tick, TimeUnit.MILLISECONDS);
    long flush = config.fillFlushInterval().toMillis();
    this.flusher =
        scheduler.scheduleWithFixedDelay(
            fills::flush,
            ThreadLocalRandom.current().nextLong(flush),
            flush,
            TimeUnit.MILLISECONDS);
  }

  private static Backoff backoff(ClientConfig config) {
    return new Backoff(
        config.reconnectInitial(), config.reconnectMax(), ThreadLocalRandom.current());
  }

  /**
   * The SDK's own heartbeat metrics: the dead-man's switch and reconnections, reported when back.
   */
  Map<String, Double> sdkMetrics() {
    double reconnects = heartbeats.reconnects() + commands.reconnects() + permissions.reconnects();
    return Map.of(
        "sdk_safe_mode",
        deadMan.inSafeMode() ? 1.0 : 0.0,
        "sdk_safe_mode_episodes",
        (double) deadMan.episodes(),
        "sdk_safe_mode_last_seconds",
        (double) deadMan.lastEpisodeSeconds(),
        "sdk_reconnects",
        reconnects);
  }

  private void tick() {
    try {
      heartbeats.tick();
      deadMan.tick(heartbeats.sendingHeartbeats());
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: log and keep ticking.
      LOG.log(System.Logger.Level.ERROR, bot + ": tick failed", e);
    }
  }

  /** Stops the timers and hands no more commands over. */
  void stopTimers() {
    processor.stop();
    deadMan.disarm();
    ticker.cancel(false);
    flusher.cancel(false);
  }
}
