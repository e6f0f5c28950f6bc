package io.botfleet.sdk;

import io.botfleet.sdk.command.CommandHandler;
import io.botfleet.signing.Credentials;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
import java.util.function.Supplier;

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
 *   <li>holds the dead-man's switch: after {@link Builder#deadManAfter} without the control plane
 *       it calls {@link SafeModeListener#enterSafeMode} (stop opening positions), and when contact
 *       is back it calls {@link SafeModeListener#exitSafeMode} and reports the episode in the
 *       heartbeat's custom metrics {@code sdk_safe_mode} (1 while in safe mode), {@code
 *       sdk_safe_mode_episodes} (count since start) and {@code sdk_safe_mode_last_seconds} (length
 *       of the last episode), with a WARNING log line;
 *   <li>reports fills to billing-service ({@link #recordFill}).
 * </ul>
 *
 * <p>Thread-safe. One client per bot; a process running many bots shares {@link Connections}, a
 * scheduler and a command executor between them (see {@link Builder}).
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
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
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
        running.heartbeats.reconnects() + running.commands.reconnects(),
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

  /**
   * Builds a {@link BotfleetClient}. Required: where the control plane is ({@link #endpoints} or
   * {@link #connections}), who the bot is ({@link #keyFile} and, for the first start, {@link
   * #enrollment}; or {@link #credentials}), and the bot's side: {@link #metrics}, {@link
   * #commandHandler}, {@link #safeModeListener}.
   */
  public static final class Builder {
    private Endpoints endpoints;
    private Connections connections;
    private Path keyFile;
    private Credentials credentials;
    private String name;
    private String enrollmentName;
    private String enrollmentToken;
    private Supplier<Metrics> metrics;
    private CommandHandler handler;
    private SafeModeListener safeMode;
    private Duration heartbeatInterval = Duration.ofSeconds(15);
    private Duration heartbeatAnswerTimeout;
    private Duration deadManAfter = Duration.ofSeconds(60);
    private Duration reconnectInitial = Duration.ofMillis(500);
    private Duration reconnectMax = Duration.ofSeconds(30);
    private Duration callTimeout = Duration.ofSeconds(10);
    private Duration enrollTimeout = Duration.ofMinutes(2);
    private Duration fillFlushInterval = Duration.ofSeconds(10);
    private Path commandJournal;
    private boolean journalInMemory;
    private ScheduledExecutorService scheduler;
    private java.util.concurrent.Executor commandExecutor;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Where the services are; the client opens (and closes) its own channels. */
    public Builder endpoints(Endpoints endpoints) {
      this.endpoints = endpoints;
      return this;
    }

    /** Shared channels (many bots in one process); the client never closes them. */
    public Builder connections(Connections connections) {
      this.connections = connections;
      return this;
    }

    /**
     * The bot's key file (docs/protocol.md format). Read at start if it exists; otherwise written
     * (0600, atomically) by enrollment. Beside it the SDK keeps {@code <file>.journal} (the command
     * journal) and, briefly, the keys of an enrollment or rotation in progress.
     */
    public Builder keyFile(Path keyFile) {
      this.keyFile = keyFile;
      return this;
    }

    /** Credentials held in memory only (no key file); rotations then live in memory too. */
    public Builder credentials(Credentials credentials) {
      this.credentials = credentials;
      return this;
    }

    /**
     * Enroll as {@code name} with a one-time {@code token} when there is no key file yet (the
     * operator got the token from RegisterBot). Ignored once the key file exists.
     */
    public Builder enrollment(String name, String token) {
      this.enrollmentName = name;
      this.enrollmentToken = token;
      return this;
    }

    /** The bot's name for log lines (default: the enrollment name, else the agent id). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * Samples the bot's metrics for each heartbeat, on the SDK's scheduler (keep it quick). Return
     * null to send no heartbeat this time (a dormant standby, a bot still warming up).
     */
    public Builder metrics(Supplier<Metrics> metrics) {
      this.metrics = metrics;
      return this;
    }

    /** What the bot does on each command. */
    public Builder commandHandler(CommandHandler handler) {
      this.handler = handler;
      return this;
    }

    /** The dead-man's switch callback: stop opening positions when the control plane is lost. */
    public Builder safeModeListener(SafeModeListener safeMode) {
      this.safeMode = safeMode;
      return this;
    }

    /** Time between heartbeats (default 15 s; health-service's dead threshold is 120 s). */
    public Builder heartbeatInterval(Duration heartbeatInterval) {
      this.heartbeatInterval = heartbeatInterval;
      return this;
    }

    /**
     * A heartbeat stream with a heartbeat unanswered this long is restarted (default: half the
     * dead-man time, at most 10 s).
     */
    public Builder heartbeatAnswerTimeout(Duration heartbeatAnswerTimeout) {
      this.heartbeatAnswerTimeout = heartbeatAnswerTimeout;
      return this;
    }

    /**
     * The dead-man time (default 60 s): this long without the control plane, the bot enters safe
     * mode. A dropped connection is noticed at once; a silent one when a heartbeat goes unanswered,
     * so safe mode begins at most one heartbeat interval later than this.
     */
    public Builder deadManAfter(Duration deadManAfter) {
      this.deadManAfter = deadManAfter;
      return this;
    }

    /** Reconnection backoff: first window and cap (default 500 ms and 30 s, full jitter). */
    public Builder reconnectBackoff(Duration initial, Duration max) {
      this.reconnectInitial = initial;
      this.reconnectMax = max;
      return this;
    }

    /** Deadline of each unary call and fill report (default 10 s). */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = callTimeout;
      return this;
    }

    /** How long {@link #start()} retries an unreachable identity-service (default 2 min). */
    public Builder enrollTimeout(Duration enrollTimeout) {
      this.enrollTimeout = enrollTimeout;
      return this;
    }

    /** How often buffered fills are sent (default 10 s). */
    public Builder fillFlushInterval(Duration fillFlushInterval) {
      this.fillFlushInterval = fillFlushInterval;
      return this;
    }

    /**
     * Where to keep the command journal, which makes "never applied twice" hold across restarts
     * (default: {@code <key file>.journal}; in memory without a key file).
     */
    public Builder commandJournal(Path commandJournal) {
      this.commandJournal = commandJournal;
      this.journalInMemory = false;
      return this;
    }

    /** Keep the command journal in memory only (simulators). */
    public Builder inMemoryCommandJournal() {
      this.commandJournal = null;
      this.journalInMemory = true;
      return this;
    }

    /** A scheduler shared by many clients (default: one daemon thread per client). */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /**
     * Threads for command handlers, shared by many clients (default: a cached pool per client).
     * Needs at least two threads, so that an emergency stop never waits behind another command.
     */
    public Builder commandExecutor(java.util.concurrent.Executor commandExecutor) {
      this.commandExecutor = commandExecutor;
      return this;
    }

    /** The clock (tests). */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * The client.
     *
     * @throws IllegalArgumentException naming what is missing or out of range
     */
    public BotfleetClient build() {
      if ((endpoints == null) == (connections == null)) {
        throw new IllegalArgumentException("set exactly one of endpoints and connections");
      }
      if (keyFile == null && credentials == null && enrollmentToken == null) {
        throw new IllegalArgumentException("set a keyFile, credentials or an enrollment token");
      }
      if (enrollmentToken != null && (enrollmentName == null || enrollmentName.isBlank())) {
        throw new IllegalArgumentException("enrollment needs the bot's name");
      }
      require(metrics, "metrics");
      require(handler, "commandHandler");
      require(safeMode, "safeModeListener");
      positive(heartbeatInterval, "heartbeatInterval");
      positive(deadManAfter, "deadManAfter");
      positive(reconnectInitial, "reconnectBackoff initial");
      positive(reconnectMax, "reconnectBackoff max");
      positive(callTimeout, "callTimeout");
      positive(enrollTimeout, "enrollTimeout");
      positive(fillFlushInterval, "fillFlushInterval");
      Duration answerTimeout =
          heartbeatAnswerTimeout != null
              ? heartbeatAnswerTimeout
              : min(Duration.ofSeconds(10), deadManAfter.dividedBy(2));
      positive(answerTimeout, "heartbeatAnswerTimeout");
      return new BotfleetClient(
          new ClientConfig(
              endpoints,
              connections,
              keyFile,
              credentials,
              name != null ? name : enrollmentName,
              enrollmentName,
              enrollmentToken,
              metrics,
              handler,
              safeMode,
              heartbeatInterval,
              answerTimeout,
              deadManAfter,
              reconnectInitial,
              reconnectMax,
              callTimeout,
              enrollTimeout,
              fillFlushInterval,
              commandJournal,
              journalInMemory,
              scheduler,
              commandExecutor,
              Objects.requireNonNull(clock, "clock")));
    }

    private static void require(Object value, String name) {
      if (value == null) {
        throw new IllegalArgumentException(name + " is required");
      }
    }

    private static void positive(Duration value, String name) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
      }
    }

    private static Duration min(Duration a, Duration b) {
      return a.compareTo(b) <= 0 ? a : b;
    }
  }
}
