package io.botfleet.deploy.sim;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import io.botfleet.fleet.v1.BotStatus;
import io.botfleet.fleet.v1.DeliveryState;
import io.botfleet.health.v1.HealthEventType;
import io.botfleet.health.v1.HealthIssue;
import io.botfleet.health.v1.HealthStatus;
import io.botfleet.health.v1.Heartbeat;
import io.botfleet.health.v1.HeartbeatRecord;
import io.botfleet.health.v1.WatchHealthResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A simulated fleet behind fake fleet-service and health-service gRPC servers: bots that heartbeat
 * every 50 ms, acknowledge commands as the real bot SDK would (update_version: accepted, switch
 * binary, done; rollback_version alike), drain their open orders when paused, and misbehave on
 * demand. It records every command each bot received, so tests can assert who got what and when.
 */
public final class SimulatedFleet {

  /** How often bots heartbeat. */
  public static final Duration HEARTBEAT = Duration.ofMillis(50);

  /** A simulated bot is declared dead after this long without a heartbeat. */
  public static final Duration DEAD_AFTER = Duration.ofMillis(400);

  /** How long a bot takes to act on a command. */
  static final Duration REACTION = Duration.ofMillis(40);

  /**
   * A command as fleet-service stored it.
   *
   * @param id command id
   * @param type its type
   * @param payload its payload
   * @param botIds its targets
   * @param requestId its idempotency key
   */
  public record Command(
      String id, String type, Struct payload, List<String> botIds, String requestId) {}

  /**
   * A command as a bot received it.
   *
   * @param botName the bot
   * @param type the command type
   * @param payload its payload
   * @param commandId the command
   * @param openOrders the bot's open orders when it arrived
   * @param time when
   */
  public record Received(
      String botName, String type, Struct payload, String commandId, int openOrders, Instant time) {

    /** A string field of the payload. */
    public String field(String name) {
      var v = payload.getFieldsOrDefault(name, null);
      return v == null
          ? null
          : v.hasStringValue() ? v.getStringValue() : String.valueOf(v.getNumberValue());
    }
  }

  /** One bot's copy of a command. */
  static final class DeliveryRecord {
    volatile DeliveryState state = DeliveryState.DELIVERY_STATE_SENT;
    volatile String message = "";
    volatile Instant updateTime = Instant.now();
  }

  final Map<String, SimBot> bots = new ConcurrentHashMap<>();
  final Map<String, Command> commandsById = new ConcurrentHashMap<>();
  final Map<String, Command> commandsByRequestId = new ConcurrentHashMap<>();
  final Map<String, Map<String, DeliveryRecord>> deliveries = new ConcurrentHashMap<>();
  final List<Received> received = new CopyOnWriteArrayList<>();
  final Map<String, AtomicInteger> sendCalls = new ConcurrentHashMap<>();
  final Set<String> statefulGroups = ConcurrentHashMap.newKeySet();
  final List<WatchHealthResponse> events = new CopyOnWriteArrayList<>();
  final List<Consumer<WatchHealthResponse>> watchers = new CopyOnWriteArrayList<>();
  private final AtomicLong eventSequence = new AtomicLong();
  private final Object eventLock = new Object();
  private final ScheduledExecutorService ticker =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "simulated-fleet");
            t.setDaemon(true);
            return t;
          });

  volatile CountDownLatch holdUpdateResponses;
  volatile CountDownLatch updateHeld = new CountDownLatch(1);
  volatile long fleetLatencyMillis;
  volatile String refusedForBot;
  volatile String refusedType;

  /** Bumped by {@link #reset()}: bots of an earlier test no longer act. */
  private final AtomicInteger generation = new AtomicInteger();

  SimulatedFleet() {
    ticker.scheduleAtFixedRate(
        this::tick, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
  }

  // ---- Setting up ------------------------------------------------------------------------------

  /** Forgets every bot, command and event (between tests). */
  public synchronized void reset() {
    generation.incrementAndGet();
    bots.clear();
    commandsById.clear();
    commandsByRequestId.clear();
    deliveries.clear();
    received.clear();
    sendCalls.clear();
    statefulGroups.clear();
    holdUpdateResponses = null;
    updateHeld = new CountDownLatch(1);
    fleetLatencyMillis = 0;
    refusedForBot = null;
    refusedType = null;
  }

  /** Adds a bot. */
  public SimBot add(String name, String group, String exchange, String version) {
    SimBot bot =
        new SimBot(
            "bot-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16),
            name,
            group,
            exchange,
            version);
    bots.put(bot.id, bot);
    return bot;
  }

  /**
   * The guide's perp-momentum group (5 bots on binance, bybit, okx, deribit, binance, version
   * 1.8.3) under a group name of the caller's choosing, with PnL today 500, 300, 120, 800, 650 USD.
   */
  public List<SimBot> perpMomentum(String group) {
    String[] exchanges = {"binance", "bybit", "okx", "deribit", "binance"};
    String[] pnl = {"500.00", "300.00", "120.00", "800.00", "650.00"};
    List<SimBot> added = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      added.add(
          add(String.format(Locale.ROOT, "%s-%02d", group, i + 1), group, exchanges[i], "1.8.3")
              .pnl(pnl[i]));
    }
    return added;
  }

  /** Marks a group stateful (its group policy), so deployments drain its bots first. */
  public void stateful(String group) {
    statefulGroups.add(group);
  }

  /** The bot with this name. */
  public SimBot bot(String name) {
    return bots.values().stream()
        .filter(b -> b.name.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no simulated bot " + name));
  }

  /**
   * Waits until every heartbeating bot has a history at least this long, as bots of a real fleet
   * have before a deployment (the last batch is compared with the bots' own past).
   */
  public void awaitHistory(Duration length) {
    Instant deadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(deadline)) {
      boolean ready =
          bots.values().stream()
              .filter(b -> b.heartbeating)
              .allMatch(
                  b ->
                      !b.heartbeats.isEmpty()
                          && SimBot.time(b.heartbeats.get(0))
                              .isBefore(Instant.now().minus(length)));
      if (ready) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException("bots have no history of " + length);
  }

  /**
   * fleet-service itself refuses update_version for a bot (FAILED_PRECONDITION, as when the bot was
   * stopped by the kill switch meanwhile), so no bot of that command receives it.
   */
  public void refuseUpdatesFor(SimBot bot) {
    refusedForBot = bot.id;
    refusedType = "update_version";
  }

  /** fleet-service itself refuses rollback_version for a bot (as {@link #refuseUpdatesFor}). */
  public void refuseRollbacksFor(SimBot bot) {
    refusedForBot = bot.id;
    refusedType = "rollback_version";
  }

  /** Every unary fleet call takes this long (to test deadlines). */
  public void fleetLatency(Duration latency) {
    fleetLatencyMillis = latency.toMillis();
  }

  /**
   * From now on, update_version is stored and delivered, but the SendCommand answer is held back
   * until {@link #releaseUpdateResponses()}: the window in which a caller that dies has sent the
   * command without learning its id.
   */
  public void holdUpdateResponses() {
    updateHeld = new CountDownLatch(1);
    holdUpdateResponses = new CountDownLatch(1);
  }

  /** Waits until an update_version answer is being held. */
  public boolean awaitHeldUpdate(Duration timeout) throws InterruptedException {
    return updateHeld.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Lets held answers go (and stops holding). */
  public void releaseUpdateResponses() {
    CountDownLatch hold = holdUpdateResponses;
    holdUpdateResponses = null;
    if (hold != null) {
      hold.countDown();
    }
  }

  // ---- Reading what happened
  // ---------------------------------------------------------------------

  /** Every command the bots received, in order. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  /** The commands of one type the bots received, in order. */
  public List<Received> received(String type) {
    return received.stream().filter(r -> r.type().equals(type)).toList();
  }

  /** How many SendCommand calls came with this idempotency key. */
  public int sendCalls(String requestIdPrefix) {
    return sendCalls.entrySet().stream()
        .filter(e -> e.getKey().startsWith(requestIdPrefix))
        .mapToInt(e -> e.getValue().get())
        .sum();
  }

  /** Every SendCommand idempotency key and how often it came. */
  public Map<String, Integer> sendCallsByKey() {
    Map<String, Integer> calls = new LinkedHashMap<>();
    sendCalls.forEach((k, v) -> calls.put(k, v.get()));
    return calls;
  }

  // ---- What fleet-service does -----------------------------------------------------------------

  /** Stores a command for its bots (idempotent by request id) and lets the bots react. */
  Command send(String type, Struct payload, List<String> botIds, String requestId) {
    sendCalls.computeIfAbsent(requestId, k -> new AtomicInteger()).incrementAndGet();
    Command existing = commandsByRequestId.get(requestId);
    if (existing != null) {
      return existing;
    }
    Command command =
        new Command(UUID.randomUUID().toString(), type, payload, List.copyOf(botIds), requestId);
    commandsByRequestId.put(requestId, command);
    commandsById.put(command.id(), command);
    Map<String, DeliveryRecord> perBot = new ConcurrentHashMap<>();
    for (String botId : botIds) {
      perBot.put(botId, new DeliveryRecord());
    }
    deliveries.put(command.id(), perBot);
    // A delivery due after a reset belongs to an earlier test: it must not be counted in this one.
    int sentIn = generation.get();
    for (String botId : botIds) {
      SimBot bot = bots.get(botId);
      if (bot != null) {
        ticker.schedule(
            () -> {
              if (generation.get() == sentIn) {
                deliver(bot, command);
              }
            },
            REACTION.toMillis(),
            TimeUnit.MILLISECONDS);
      }
    }
    return command;
  }

  private void deliver(SimBot bot, Command command) {
    if (!bot.heartbeating && !bot.standby) {
      return; // A dead or silent bot never receives it.
    }
    received.add(
        new Received(
            bot.name,
            command.type(),
            command.payload(),
            command.id(),
            bot.openOrders,
            Instant.now()));
    DeliveryRecord delivery = deliveries.get(command.id()).get(bot.id);
    switch (command.type()) {
      case "update_version" -> {
        String version = command.payload().getFieldsOrThrow("new_version").getStringValue();
        if (bot.misbehaviour == SimBot.Misbehaviour.REJECT && version.equals(bot.badVersion)) {
          ack(
              delivery,
              DeliveryState.DELIVERY_STATE_REJECTED,
              "version " + version + " is not supported");
          return;
        }
        ack(delivery, DeliveryState.DELIVERY_STATE_ACCEPTED, "");
        ticker.schedule(
            () -> {
              if (!(bot.misbehaviour == SimBot.Misbehaviour.ACK_WITHOUT_VERSION
                  && version.equals(bot.badVersion))) {
                switchTo(bot, version);
              }
              ack(delivery, DeliveryState.DELIVERY_STATE_DONE, "");
            },
            REACTION.toMillis(),
            TimeUnit.MILLISECONDS);
      }
      case "rollback_version" -> {
        String version = command.payload().getFieldsOrThrow("previous_version").getStringValue();
        if (bot.rejectsRollbacks) {
          ack(
              delivery,
              DeliveryState.DELIVERY_STATE_REJECTED,
              "version " + version + " is no longer installed");
          return;
        }
        ack(delivery, DeliveryState.DELIVERY_STATE_ACCEPTED, "");
        ticker.schedule(
            () -> {
              switchTo(bot, version);
              ack(delivery, DeliveryState.DELIVERY_STATE_DONE, "");
            },
            REACTION.toMillis(),
            TimeUnit.MILLISECONDS);
      }
      case "pause" -> {
        bot.status = BotStatus.BOT_STATUS_PAUSED;
        ack(delivery, DeliveryState.DELIVERY_STATE_DONE, "");
      }
      case "resume" -> {
        if (bot.status == BotStatus.BOT_STATUS_PAUSED) {
          bot.status = BotStatus.BOT_STATUS_ACTIVE;
        }
        ack(delivery, DeliveryState.DELIVERY_STATE_DONE, "");
      }
      default -> ack(delivery, DeliveryState.DELIVERY_STATE_REJECTED, "unknown command");
    }
  }

  private void switchTo(SimBot bot, String version) {
    bot.version = version;
    boolean bad = version.equals(bot.badVersion);
    bot.errorsPerHeartbeat =
        !bad
            ? 0
            : switch (bot.misbehaviour) {
              case ERRORS -> 6;
              case CRITICAL -> 15;
              default -> 0;
            };
    if (bad
        && (bot.misbehaviour == SimBot.Misbehaviour.DIES
            || bot.misbehaviour == SimBot.Misbehaviour.SILENT)) {
      bot.neverDead = bot.misbehaviour == SimBot.Misbehaviour.SILENT;
      // Runs the new version long enough to be counted as updated, then goes quiet.
      ticker.schedule(
          () -> {
            bot.heartbeating = false;
            bot.silentSince = Instant.now();
          },
          600,
          TimeUnit.MILLISECONDS);
    }
  }

  private static void ack(DeliveryRecord delivery, DeliveryState state, String message) {
    delivery.message = message;
    delivery.updateTime = Instant.now();
    delivery.state = state;
  }

  // ---- What health-service does ----------------------------------------------------------------

  private void tick() {
    try {
      Instant now = Instant.now();
      for (SimBot bot : bots.values()) {
        if (bot.heartbeating) {
          heartbeat(bot, now);
        } else if (!bot.neverDead
            && bot.lastHeartbeat != null
            && bot.health != HealthStatus.HEALTH_STATUS_DEAD
            && now.isAfter(bot.lastHeartbeat.plus(DEAD_AFTER))) {
          HealthStatus before = bot.health;
          bot.health = HealthStatus.HEALTH_STATUS_DEAD;
          bot.status = BotStatus.BOT_STATUS_DEAD;
          emit(bot, HealthEventType.HEALTH_EVENT_TYPE_BOT_DEAD, before, "no heartbeat");
        }
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
    }
  }

  private void heartbeat(SimBot bot, Instant now) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (bot.status == BotStatus.BOT_STATUS_PAUSED && bot.openOrders > 0 && !bot.stuckOrders) {
      bot.openOrders--;
    }
    long errors = (long) bot.errorsPerHeartbeat + (random.nextInt(10) == 0 ? 1 : 0);
    double latency = 40 + random.nextDouble(20);
    double drawdown = 1 + random.nextDouble(0.5);
    Heartbeat heartbeat =
        Heartbeat.newBuilder()
            .setSequence(++bot.sequence)
            .setHeartbeatTime(timestamp(now))
            .setVersion(bot.version)
            .setUptimeSeconds(bot.sequence)
            .setHeartbeatLatencyMs(latency)
            .setPnlUsd(bot.pnlToday == null ? "0" : bot.pnlToday.toPlainString())
            .setDrawdownPct(drawdown)
            .setTradeCount(bot.sequence)
            .setOpenOrders(bot.openOrders)
            .setErrorCount(errors)
            .build();
    List<HealthIssue> issues = new ArrayList<>();
    if (errors > 10) {
      issues.add(issue("high_errors", true, errors, 10));
    } else if (errors > 3) {
      issues.add(issue("elevated_errors", false, errors, 3));
    }
    HealthStatus status =
        issues.stream().anyMatch(HealthIssue::getCritical)
            ? HealthStatus.HEALTH_STATUS_CRITICAL
            : issues.isEmpty()
                ? HealthStatus.HEALTH_STATUS_HEALTHY
                : HealthStatus.HEALTH_STATUS_WARNING;
    HeartbeatRecord record =
        HeartbeatRecord.newBuilder()
            .setBotId(bot.id)
            .setHeartbeat(heartbeat)
            .setReceiveTime(timestamp(now))
            .setStatus(status)
            .addAllIssues(issues)
            .build();
    bot.heartbeats.add(record);
    bot.lastHeartbeat = now;
    HealthStatus before = bot.health;
    bot.health = status;
    if (before == HealthStatus.HEALTH_STATUS_DEAD) {
      emit(bot, HealthEventType.HEALTH_EVENT_TYPE_BOT_RECOVERED, before, "heartbeats again");
    }
    if (before != status) {
      emit(bot, HealthEventType.HEALTH_EVENT_TYPE_STATUS_CHANGED, before, "status changed");
    }
    if (bot.reportedVersion != null && !bot.reportedVersion.equals(bot.version)) {
      emit(bot, HealthEventType.HEALTH_EVENT_TYPE_VERSION_CHANGED, before, "version changed");
    }
    bot.reportedVersion = bot.version;
  }

  private static HealthIssue issue(String code, boolean critical, double value, double threshold) {
    return HealthIssue.newBuilder()
        .setCode(code)
        .setCritical(critical)
        .setValue(value)
        .setThreshold(threshold)
        .setText(code + ":" + (long) value)
        .build();
  }

  private void emit(SimBot bot, HealthEventType type, HealthStatus before, String message) {
    synchronized (eventLock) {
      WatchHealthResponse event =
          WatchHealthResponse.newBuilder()
              .setSequence(eventSequence.incrementAndGet())
              .setType(type)
              .setBotId(bot.id)
              .setBotName(bot.name)
              .setGroup(bot.group)
              .setPreviousStatus(before)
              .setStatus(bot.health)
              .setVersion(bot.version)
              .setMessage(message)
              .setEventTime(timestamp(Instant.now()))
              .build();
      events.add(event);
      watchers.forEach(w -> w.accept(event));
    }
  }

  /** Subscribes to health events after a sequence (0: every bot's current status first). */
  Runnable watch(long after, Consumer<WatchHealthResponse> watcher) {
    synchronized (eventLock) {
      if (after == 0) {
        for (SimBot bot :
            bots.values().stream().sorted(Comparator.comparing(b -> b.name)).toList()) {
          watcher.accept(
              WatchHealthResponse.newBuilder()
                  .setSequence(eventSequence.get())
                  .setType(HealthEventType.HEALTH_EVENT_TYPE_STATUS_CHANGED)
                  .setBotId(bot.id)
                  .setBotName(bot.name)
                  .setGroup(bot.group)
                  .setStatus(bot.health)
                  .setVersion(bot.version)
                  .build());
        }
      } else {
        events.stream().filter(e -> e.getSequence() > after).forEach(watcher);
      }
      watchers.add(watcher);
    }
    return () -> watchers.remove(watcher);
  }

  /** The events emitted so far. */
  public List<WatchHealthResponse> events() {
    return List.copyOf(events);
  }

  /** Bots in a group (or all), by name. */
  Collection<SimBot> bots(String group) {
    return bots.values().stream()
        .filter(b -> group.isEmpty() || b.group.equals(group))
        .sorted(Comparator.comparing(b -> b.name))
        .toList();
  }

  static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  void close() {
    ticker.shutdownNow();
  }
}
