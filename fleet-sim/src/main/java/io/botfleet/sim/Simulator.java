package io.botfleet.sim;

import io.botfleet.sdk.BotfleetClient;
import io.botfleet.sdk.BotfleetClientBuilder;
import io.botfleet.sdk.Connections;
import io.botfleet.sdk.EnrollmentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs many simulated bots in one JVM on shared resources: a few connections per endpoint carrying
 * every bot's streams, one small scheduler for every heartbeat and timer, one small pool for every
 * command handler. No thread per bot, so 10,000 bots fit.
 */
final class Simulator implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Simulator.class.getName());

  /** How the simulator is set up (from the command line, or from a test). */
  record Settings(
      Duration heartbeatInterval,
      Duration deadManAfter,
      double activity,
      int startRatePerSecond,
      int startThreads,
      long seed,
      Path keysDir,
      Journal journal) {}

  /** Where the bots keep their command journals. */
  enum Journal {
    /** Beside each key file: a revived bot never repeats a command (a real bot's default). */
    DISK,
    /** In memory: no file writes when 10,000 bots take the same command. */
    MEMORY
  }

  private final Settings settings;
  private final Connections connections;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService commandThreads;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, SimulatedBot> bots = new LinkedHashMap<>();
  private final Map<String, SimulatedBot> byAgentId = new ConcurrentHashMap<>();
  private final SplittableRandom seeds;

  Simulator(Settings settings, Connections connections, int schedulerThreads, int commandThreads) {
    this.settings = settings;
    this.connections = connections;
    this.scheduler = Executors.newScheduledThreadPool(schedulerThreads, daemon("sim-scheduler"));
    this.commandThreads =
        Executors.newFixedThreadPool(Math.max(2, commandThreads), daemon("sim-commands"));
    this.seeds = new SplittableRandom(settings.seed());
  }

  /**
   * Starts the bots: each reuses its key file in the keys directory, or enrolls with its token (and
   * writes the key file). Starts are spread at the start rate so that thousands of bots do not open
   * their streams in the same millisecond.
   *
   * @param tokens enrollment tokens by bot name (bots with a key file need none)
   * @throws IllegalStateException naming the bots that have neither a key file nor a token, or
   *     whose enrollment was refused
   */
  void start(List<BotProfile> profiles, Map<String, String> tokens)
      throws IOException, InterruptedException {
    List<String> missing = new ArrayList<>();
    for (BotProfile profile : profiles) {
      if (!Files.exists(keyFile(profile)) && !tokens.containsKey(profile.name())) {
        missing.add(profile.name());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          missing.size()
              + " bots have no key file in "
              + settings.keysDir()
              + " and no enrollment token (--tokens): "
              + (missing.size() > 5 ? missing.subList(0, 5) + " …" : missing));
    }
    Files.createDirectories(settings.keysDir());
    for (BotProfile profile : profiles) {
      bots.put(
          profile.name(),
          new SimulatedBot(profile, clock, seeds.split(), settings.activity(), byAgentId::get));
    }
    ExecutorService starters =
        Executors.newFixedThreadPool(settings.startThreads(), daemon("sim-start"));
    List<Future<?>> started = new ArrayList<>();
    long gapNanos = 1_000_000_000L / Math.max(1, settings.startRatePerSecond());
    long next = System.nanoTime();
    for (SimulatedBot bot : bots.values()) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      next += gapNanos;
      String token = tokens.get(bot.profile.name());
      started.add(starters.submit(() -> startClient(bot, token)));
    }
    List<String> failed = new ArrayList<>();
    for (Future<?> future : started) {
      try {
        future.get();
      } catch (java.util.concurrent.ExecutionException e) {
        failed.add(e.getCause().getMessage());
      }
    }
    starters.shutdown();
    if (!failed.isEmpty()) {
      throw new IllegalStateException(failed.size() + " bots did not start: " + failed.get(0));
    }
    LOG.log(System.Logger.Level.INFO, "{0} simulated bots started", bots.size());
  }

  private Void startClient(SimulatedBot bot, String token) throws Exception {
    BotfleetClientBuilder builder =
        BotfleetClient.builder()
            .connections(connections)
            .keyFile(keyFile(bot.profile))
            .name(bot.profile.name())
            .metrics(bot)
            .commandHandler(bot)
            .safeModeListener(bot)
            .heartbeatInterval(settings.heartbeatInterval())
            .deadManAfter(settings.deadManAfter())
            .scheduler(scheduler)
            .commandExecutor(commandThreads);
    if (settings.journal() == Journal.MEMORY) {
      builder.inMemoryCommandJournal();
    }
    if (token != null && !Files.exists(keyFile(bot.profile))) {
      builder.enrollment(bot.profile.name(), token);
    }
    BotfleetClient client = builder.build();
    bot.attach(client);
    try {
      client.start();
    } catch (EnrollmentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    byAgentId.put(client.agentId(), bot);
    return null;
  }

  Path keyFile(BotProfile profile) {
    return settings.keysDir().resolve(profile.name() + ".key");
  }

  /** The bot named {@code name}. */
  SimulatedBot bot(String name) {
    SimulatedBot bot = bots.get(name);
    if (bot == null) {
      throw new IllegalArgumentException("no simulated bot named " + name);
    }
    return bot;
  }

  Collection<SimulatedBot> bots() {
    return bots.values();
  }

  /** Brings a killed bot back with a new client on its key file. */
  void revive(String name) throws Exception {
    SimulatedBot bot = bot(name);
    if (bot.state() != SimulatedBot.State.KILLED) {
      throw new IllegalArgumentException(name + " is not killed");
    }
    bot.revived();
    startClient(bot, null);
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /**
   * Closes every client politely (last fills, streams half-closed) within 10 s; the clients still
   * closing then are aborted, so that Ctrl-C never hangs on an unreachable control plane.
   */
  @Override
  public void close() {
    ExecutorService closers = Executors.newFixedThreadPool(32, daemon("sim-close"));
    List<BotfleetClient> clients = new ArrayList<>();
    for (SimulatedBot bot : bots.values()) {
      BotfleetClient client = bot.client();
      if (client != null) {
        clients.add(client);
        closers.execute(client::close);
      }
    }
    closers.shutdown();
    try {
      if (!closers.awaitTermination(10, TimeUnit.SECONDS)) {
        closers.shutdownNow();
        clients.forEach(BotfleetClient::abort);
      }
    } catch (InterruptedException e) {
      clients.forEach(BotfleetClient::abort);
      Thread.currentThread().interrupt();
    }
    scheduler.shutdownNow();
    commandThreads.shutdownNow();
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
