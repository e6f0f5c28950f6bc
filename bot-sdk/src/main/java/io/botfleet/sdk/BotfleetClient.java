package io.botfleet.sdk;

import io.botfleet.sdk.command.CommandHandler;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bot's connection to its botfleet control plane. Build one with {@link #builder()}, {@link
 * #start()} it, and it:
 *
 * <ul>
 *   <li>enrolls the bot on first start: makes its own Ed25519 keypair, proves possession to
 *       identity-service with the one-time enrollment token, and writes the key file (0600,
 *       atomically); later starts read the key file;
 *   <li>signs every call (docs/protocol.md);
 *   <li>keeps the heartbeat stream (health-service) and the command stream (fleet-service) open,
 *       reconnecting with exponential backoff and full jitter;
 *   <li>hands each command to the {@link CommandHandler} once, in order, and acknowledges it
 *       (ACCEPTED, then DONE, FAILED or REJECTED); rotates the key on {@code rotate_key}; destroys
 *       the key file on {@code destroy_local_keys};
 *   <li>holds the dead-man's switch: after {@link BotfleetClientBuilder#deadManAfter} without the
 *       control plane it calls {@link SafeModeListener#enterSafeMode} (stop opening positions), and
 *       when contact is back it calls {@link SafeModeListener#exitSafeMode} and reports the episode
 *       in the heartbeat's custom metrics {@code sdk_safe_mode} (1 while in safe mode), {@code
 *       sdk_safe_mode_episodes} (count since start) and {@code sdk_safe_mode_last_seconds} (length
 *       of the last episode), with a WARNING log line;
 *   <li>reports fills to billing-service ({@link #recordFill});
 *   <li>checks the bot's permissions with permission-service ({@link #permissions()}), on one
 *       stream opened by the first check, failing closed.
 * </ul>
 *
 * <p>Thread-safe. One client per bot; a process running many bots shares {@link Connections}, a
 * scheduler and a command executor between them (see {@link BotfleetClientBuilder}).
 */
public final class BotfleetClient implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(BotfleetClient.class.getName());

  private final ClientConfig config;
  private final CredentialStore store;
  private final Connections connections;
  private final boolean ownsConnections;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final ExecutorService ownedCommandThreads;
  private final SerialExecutor normalLane;
  private final SerialExecutor urgentLane;
  private volatile ClientStatus.State state = ClientStatus.State.NEW;
  private volatile Session session;
  private final PermissionChecks permissions;

  private BotfleetClient(ClientConfig config) {
    this.config = config;
    this.store = new CredentialStore(config.keyFile(), config.credentials());
    this.ownsConnections = config.connections() == null;
    this.connections =
        ownsConnections ? Connections.open(config.endpoints()) : config.connections();
    this.ownsScheduler = config.scheduler() == null;
    this.scheduler =
        ownsScheduler
            ? Executors.newSingleThreadScheduledExecutor(daemon("botfleet-sdk"))
            : config.scheduler();
    this.ownedCommandThreads =
        config.commandExecutor() == null
            ? Executors.newCachedThreadPool(daemon("botfleet-sdk-commands"))
            : null;
    var executor = ownedCommandThreads != null ? ownedCommandThreads : config.commandExecutor();
    this.normalLane = new SerialExecutor(executor);
    this.urgentLane = new SerialExecutor(executor);
    this.permissions =
        new PermissionChecks(
            () -> {
              Session running = session;
              return running == null ? null : running.permissions;
            },
            () -> state,
            config.callTimeout());
  }

  /** A new builder. */
  public static BotfleetClientBuilder builder() {
    return new BotfleetClientBuilder();
  }

  static BotfleetClient create(ClientConfig config) {
    return new BotfleetClient(config);
  }

  /**
   * Enrolls if there is no key file yet, then opens the streams. Returns once the streams are
   * opening; it does not wait for the control plane to answer (the dead-man's switch covers a
   * control plane that stays away).
   *
   * @throws EnrollmentException if enrollment was refused or identity-service stayed unreachable
   * @throws IOException if the key file cannot be read or written
   * @throws IllegalStateException if there is neither a key file nor an enrollment token, or the
   *     client was started before
   */
  public synchronized void start() throws EnrollmentException, IOException, InterruptedException {
    if (state != ClientStatus.State.NEW) {
      throw new IllegalStateException("a client starts once; this one is " + state);
    }
    Connections.Slot slot = connections.nextSlot();
    if (!store.load()) {
      if (config.enrollmentToken() == null) {
        throw new IllegalStateException(
            "no credentials: the key file "
                + config.keyFile()
                + " does not exist and no enrollment token was given");
      }
      Enrollment.enroll(
          slot.identity(),
          store,
          config.enrollmentName(),
          config.enrollmentToken(),
          config.callTimeout(),
          config.enrollTimeout(),
          new Backoff(
              config.reconnectInitial(), config.reconnectMax(), ThreadLocalRandom.current()));
    }
    String bot = config.name() != null ? config.name() : store.current().agentId();
    // The switch starts with the streams: before enrollment the bot has nothing to trade with.
    DeadMansSwitch deadMan =
        new DeadMansSwitch(
            config.deadManAfter().toMillis(),
            config.confirmMillis(),
            config.clock(),
            config.safeMode(),
            urgentLane,
            bot);
    session =
        new Session(
            config, bot, store, slot, deadMan, scheduler, normalLane, urgentLane, this::ended);
    state = ClientStatus.State.RUNNING;
    LOG.log(
        System.Logger.Level.INFO,
        "{0}: started as {1}, key version {2}",
        bot,
        store.current().agentId(),
        store.current().keyVersion());
  }

  /**
   * Buffers a fill for billing-service; buffered fills are sent every fill flush interval and sent
   * again until booked (billing ignores fill ids it has seen).
   */
  public void recordFill(Fill fill) {
    Objects.requireNonNull(fill, "fill");
    requireSession().fills.record(fill);
  }

  /**
   * Sends fills at once in one ReportFills stream, without buffering or retry.
   *
   * @return what billing-service booked; fails with the gRPC status if the call failed
   */
  public CompletableFuture<FillReport> reportFills(List<Fill> fills) {
    return requireSession().fills.send(List.copyOf(fills));
  }

  /**
   * Permission checks with permission-service, e.g. before each order. Usable at any time: before
   * {@link #start()} and after {@link #close()} every check is denied as not running.
   */
  public PermissionChecks permissions() {
    return permissions;
  }

  /** The bot's agent id, or null before enrollment. */
  public String agentId() {
    try {
      return store.current().agentId();
    } catch (IllegalStateException e) {
      return null;
    }
  }

  /** A snapshot of the connection, for the bot's own status page. */
  public ClientStatus status() {
    Session running = session;
    String agentId = agentId();
    int keyVersion = agentId == null ? 0 : store.current().keyVersion();
    if (running == null) {
      return new ClientStatus(
          agentId, keyVersion, state, false, false, false, 0, null, List.of(), null, 0, 0, 0);
    }
    HeartbeatStream.Answer answer = running.heartbeats.lastAnswer();
    return new ClientStatus(
        agentId,
        keyVersion,
        state,
        running.heartbeats.up(),
        running.commands.up(),
        running.deadMan.inSafeMode(),
        running.deadMan.episodes(),
        answer == null ? null : answer.status(),
        answer == null ? List.of() : answer.issues(),
        answer == null ? null : answer.at(),
        running.processor.lastSequence(),
        running.heartbeats.reconnects()
            + running.commands.reconnects()
            + running.permissions.reconnects(),
        running.fills.buffered());
  }

  /**
   * Closes politely: no more commands are handed over, buffered fills get one last chance (up to
   * the call timeout), the streams are half-closed, and what the client opened is shut down.
   */
  @Override
  public void close() {
    end(false, state == ClientStatus.State.KEYS_DESTROYED);
  }

  /**
   * Closes at once, as a crash would: streams cancelled, nothing flushed. For simulators and tests
   * of the control plane's failure handling.
   */
  public void abort() {
    end(true, state == ClientStatus.State.KEYS_DESTROYED);
  }

  private void ended(boolean keysDestroyed) {
    end(false, keysDestroyed);
  }

  private void end(boolean abrupt, boolean keysDestroyed) {
    Session running;
    synchronized (this) {
      if (state == ClientStatus.State.CLOSED
          || (state == ClientStatus.State.KEYS_DESTROYED && session == null)) {
        return;
      }
      state = keysDestroyed ? ClientStatus.State.KEYS_DESTROYED : ClientStatus.State.CLOSED;
      running = session;
      session = null;
    }
    if (running != null) {
      running.stopTimers();
      running.permissions.close(abrupt);
      if (abrupt) {
        running.commands.abort();
        running.heartbeats.abort();
      } else {
        if (!keysDestroyed) {
          try {
            running.fills.flush().get(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
          } catch (Exception e) {
            LOG.log(
                System.Logger.Level.WARNING,
                "{0}: {1} fills not reported at close",
                running.bot,
                running.fills.buffered());
          }
        }
        running.commands.close();
        running.heartbeats.close();
      }
    }
    if (ownsScheduler) {
      scheduler.shutdown();
    }
    if (ownedCommandThreads != null) {
      ownedCommandThreads.shutdown();
    }
    if (ownsConnections) {
      connections.close();
    }
  }

  private Session requireSession() {
    Session running = session;
    if (running == null) {
      throw new IllegalStateException("the client is " + state);
    }
    return running;
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
