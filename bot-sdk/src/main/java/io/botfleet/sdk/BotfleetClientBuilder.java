package io.botfleet.sdk;

import io.botfleet.sdk.command.CommandHandler;
import io.botfleet.signing.Credentials;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Builds a {@link BotfleetClient}. Required: where the control plane is ({@link #endpoints} or
 * {@link #connections}), who the bot is ({@link #keyFile} and, for the first start, {@link
 * #enrollment}; or {@link #credentials}), and the bot's side: {@link #metrics}, {@link
 * #commandHandler}, {@link #safeModeListener}.
 */
public final class BotfleetClientBuilder {
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
  private Executor commandExecutor;
  private Clock clock = Clock.systemUTC();

  BotfleetClientBuilder() {}

  /** Where the services are; the client opens (and closes) its own channels. */
  public BotfleetClientBuilder endpoints(Endpoints endpoints) {
    this.endpoints = endpoints;
    return this;
  }

  /** Shared channels (many bots in one process); the client never closes them. */
  public BotfleetClientBuilder connections(Connections connections) {
    this.connections = connections;
    return this;
  }

  /**
   * The bot's key file (docs/protocol.md format). Read at start if it exists; otherwise written
   * (0600, atomically) by enrollment. Beside it the SDK keeps {@code <file>.journal} (the command
   * journal) and, briefly, the keys of an enrollment or rotation in progress.
   */
  public BotfleetClientBuilder keyFile(Path keyFile) {
    this.keyFile = keyFile;
    return this;
  }

  /** Credentials held in memory only (no key file); rotations then live in memory too. */
  public BotfleetClientBuilder credentials(Credentials credentials) {
    this.credentials = credentials;
    return this;
  }

  /**
   * Enroll as {@code name} with a one-time {@code token} when there is no key file yet (the
   * operator got the token from RegisterBot). Ignored once the key file exists.
   */
  public BotfleetClientBuilder enrollment(String name, String token) {
    this.enrollmentName = name;
    this.enrollmentToken = token;
    return this;
  }

  /** The bot's name for log lines (default: the enrollment name, else the agent id). */
  public BotfleetClientBuilder name(String name) {
    this.name = name;
    return this;
  }

  /**
   * Samples the bot's metrics for each heartbeat, on the SDK's scheduler (keep it quick). Return
   * null to send no heartbeat this time (a dormant standby, a bot still warming up).
   */
  public BotfleetClientBuilder metrics(Supplier<Metrics> metrics) {
    this.metrics = metrics;
    return this;
  }

  /** What the bot does on each command. */
  public BotfleetClientBuilder commandHandler(CommandHandler handler) {
    this.handler = handler;
    return this;
  }

  /** The dead-man's switch callback: stop opening positions when the control plane is lost. */
  public BotfleetClientBuilder safeModeListener(SafeModeListener safeMode) {
    this.safeMode = safeMode;
    return this;
  }

  /** Time between heartbeats (default 15 s; health-service's dead threshold is 120 s). */
  public BotfleetClientBuilder heartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval = heartbeatInterval;
    return this;
  }

  /**
   * A heartbeat stream with a heartbeat unanswered this long is restarted (default: half the
   * dead-man time, at most 10 s).
   */
  public BotfleetClientBuilder heartbeatAnswerTimeout(Duration heartbeatAnswerTimeout) {
    this.heartbeatAnswerTimeout = heartbeatAnswerTimeout;
    return this;
  }

  /**
   * The dead-man time (default 60 s): this long without the control plane, the bot enters safe
   * mode. A dropped connection is noticed at once; a silent one when a heartbeat goes unanswered,
   * so safe mode begins at most one heartbeat interval later than this.
   */
  public BotfleetClientBuilder deadManAfter(Duration deadManAfter) {
    this.deadManAfter = deadManAfter;
    return this;
  }

  /** Reconnection backoff: first window and cap (default 500 ms and 30 s, full jitter). */
  public BotfleetClientBuilder reconnectBackoff(Duration initial, Duration max) {
    this.reconnectInitial = initial;
    this.reconnectMax = max;
    return this;
  }

  /** Deadline of each unary call and fill report (default 10 s). */
  public BotfleetClientBuilder callTimeout(Duration callTimeout) {
    this.callTimeout = callTimeout;
    return this;
  }

  /**
   * How long {@link BotfleetClient#start()} retries an unreachable identity-service (default 2
   * min).
   */
  public BotfleetClientBuilder enrollTimeout(Duration enrollTimeout) {
    this.enrollTimeout = enrollTimeout;
    return this;
  }

  /** How often buffered fills are sent (default 10 s). */
  public BotfleetClientBuilder fillFlushInterval(Duration fillFlushInterval) {
    this.fillFlushInterval = fillFlushInterval;
    return this;
  }

  /**
   * Where to keep the command journal, which makes "never applied twice" hold across restarts
   * (default: {@code <key file>.journal}; in memory without a key file).
   */
  public BotfleetClientBuilder commandJournal(Path commandJournal) {
    this.commandJournal = commandJournal;
    this.journalInMemory = false;
    return this;
  }

  /** Keep the command journal in memory only (simulators). */
  public BotfleetClientBuilder inMemoryCommandJournal() {
    this.commandJournal = null;
    this.journalInMemory = true;
    return this;
  }

  /** A scheduler shared by many clients (default: one daemon thread per client). */
  public BotfleetClientBuilder scheduler(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
    return this;
  }

  /**
   * Threads for command handlers, shared by many clients (default: a cached pool per client). Needs
   * at least two threads, so that an emergency stop never waits behind another command.
   */
  public BotfleetClientBuilder commandExecutor(Executor commandExecutor) {
    this.commandExecutor = commandExecutor;
    return this;
  }

  /** The clock (tests). */
  public BotfleetClientBuilder clock(Clock clock) {
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
    return BotfleetClient.create(
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
