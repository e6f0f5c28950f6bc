package io.botfleet.fleet.service;

import io.botfleet.common.db.PgNotifications;
import io.botfleet.fleet.config.FleetConfig;
import io.botfleet.fleet.domain.DeliveryState;
import io.botfleet.fleet.domain.OutgoingCommand;
import io.botfleet.fleet.persistence.CommandRepository;
import io.botfleet.fleet.persistence.CommandRepository.Target;
import io.botfleet.fleet.persistence.ConnectionRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Delivers stored commands on the bots' streams held by this replica. A bot that connects gets its
 * backlog (every open, unexpired command, emergency stops first, then in sequence order); then
 * every new command, whether issued here (handed over after commit) or on another replica
 * (announced by NOTIFY). Connections are loaded in batches, so 10,000 bots reconnecting after a
 * restart cost a few queries, not 10,000 transactions.
 */
@ApplicationScoped
public class CommandDispatcher {

  private static final int LOAD_BATCH = 1000;
  private static final int FAN_OUT_CHUNK = 2500;

  @Inject CommandRepository commands;
  @Inject ConnectionRepository connectionRows;
  @Inject DeliveryWriter writer;
  @Inject PgNotifications notifications;
  @Inject BotStatusService statuses;
  @Inject Replica replica;
  @Inject FleetConfig config;

  private final Map<String, BotConnection> connections = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<BotConnection> toLoad = new LinkedBlockingQueue<>();
  private final ExecutorService fanOut = Executors.newFixedThreadPool(2, daemon("fleet-fan-out"));
  private final ExecutorService syncs = Executors.newFixedThreadPool(2, daemon("fleet-sync"));
  private final ExecutorService streamEvents =
      Executors.newSingleThreadExecutor(daemon("fleet-stream-events"));
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(daemon("fleet-dispatch"));
  private volatile boolean running;

  void start(@Observes @Priority(20) StartupEvent event) {
    running = true;
    Thread loader = daemon("fleet-stream-loader").newThread(this::loadLoop);
    loader.start();
    notifications.listen(CommandService.CHANNEL, this::announced);
    long every = config.resyncInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::resyncAll, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    scheduler.shutdownNow();
    streamEvents.shutdownNow();
    fanOut.shutdownNow();
    syncs.shutdownNow();
    // Bots reconnect to another replica; the backlog there has whatever they did not acknowledge.
    connections.values().forEach(c -> c.sink.refuse("REPLICA_STOPPING", "replica stopping"));
  }

  /** A bot opened its command stream here. */
  public BotConnection open(String botId, CommandSink sink) {
    BotConnection connection = new BotConnection(botId, sink);
    BotConnection previous = connections.put(botId, connection);
    if (previous != null) {
      later(
          () -> {
            synchronized (previous) {
              previous.close();
            }
            previous.sink.refuse(
                "STREAM_REPLACED", "a newer command stream of this bot replaced it");
          });
    }
    toLoad.add(connection);
    return connection;
  }

  /**
   * Runs stream events (ready, closed) off the transport's threads: they take a bot's lock, which a
   * dispatcher thread may hold while it waits for the transport to take a write.
   */
  public void later(Runnable work) {
    streamEvents.execute(
        () -> {
          try {
            work.run();
          } catch (RuntimeException e) {
            Log.warnf(e, "Stream event failed");
          }
        });
  }

  /** The bot's stream closed. */
  public void closed(BotConnection connection) {
    synchronized (connection) {
      if (connection.closed()) {
        return;
      }
      connection.close();
    }
    if (connections.remove(connection.botId, connection)) {
      writer.disconnected(connection.botId);
    }
  }

  /** A bot acknowledged one of its commands. */
  public void acknowledge(
      String botId, long sequence, UUID commandId, DeliveryState state, String message) {
    writer.acknowledged(
        new CommandRepository.StateChange(botId, sequence, commandId, state, message));
  }

  /** The stream can take more: write what waits. */
  public void ready(BotConnection connection) {
    synchronized (connection) {
      connection.drain(writer);
    }
  }

  /** How many bots hold their stream here. */
  public int connectedCount() {
    return connections.size();
  }

  /** True if the bot holds its stream here. */
  public boolean connectedHere(String botId) {
    return connections.containsKey(botId);
  }

  /** Hands a command just committed here to the bots connected here. */
  void fanOut(OutgoingCommand command, List<Target> targets) {
    if (targets.isEmpty() || connections.isEmpty()) {
      return;
    }
    if (targets.size() <= FAN_OUT_CHUNK) {
      deliver(command, targets);
      return;
    }
    List<java.util.concurrent.Future<?>> parts = new ArrayList<>();
    for (int from = 0; from < targets.size(); from += FAN_OUT_CHUNK) {
      List<Target> part = targets.subList(from, Math.min(targets.size(), from + FAN_OUT_CHUNK));
      parts.add(fanOut.submit(() -> deliver(command, part)));
    }
    for (var part : parts) {
      try {
        part.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        Log.errorf(e.getCause(), "Fan-out of %s failed", command.commandId());
      }
    }
  }

  private void deliver(OutgoingCommand command, List<Target> targets) {
    for (Target target : targets) {
      BotConnection connection = connections.get(target.botId());
      if (connection != null) {
        offer(connection, withSequence(command, target.sequence()));
      }
    }
  }

  /**
   * Runs the delivery logic on connections that are not registered, over the given streams in turn
   * (the start-up warm-up).
   */
  void exercise(OutgoingCommand command, List<Target> targets, List<CommandSink> sinks) {
    int next = 0;
    for (Target target : targets) {
      BotConnection connection =
          new BotConnection(target.botId(), sinks.get(next++ % sinks.size()));
      synchronized (connection) {
        connection.synced(List.of(), target.sequence() - 1, writer);
        connection.offer(withSequence(command, target.sequence()), writer);
        connection.close();
      }
    }
  }

  private void offer(BotConnection connection, OutgoingCommand command) {
    BotConnection.Next next;
    synchronized (connection) {
      next = connection.offer(command, writer);
    }
    if (next == BotConnection.Next.SYNC) {
      syncs.execute(() -> sync(connection));
    }
  }

  /** Reads what a connection is missing from the database and sends it, in order. */
  private void sync(BotConnection connection) {
    while (running) {
      long after;
      long upTo;
      synchronized (connection) {
        if (connection.closed()) {
          return;
        }
        after = connection.cursor();
        upTo = connection.syncUpTo();
      }
      List<OutgoingCommand> open;
      try {
        open =
            QuarkusTransaction.requiringNew()
                .call(() -> commands.openBetween(connection.botId, after, upTo));
      } catch (RuntimeException e) {
        Log.warnf(e, "Sync of %s's commands failed; the periodic check retries", connection.botId);
        synchronized (connection) {
          connection.synced(List.of(), after, writer);
        }
        return;
      }
      BotConnection.Next next;
      synchronized (connection) {
        next = connection.synced(open, upTo, writer);
      }
      if (next != BotConnection.Next.SYNC) {
        return;
      }
    }
  }

  private void loadLoop() {
    while (running) {
      try {
        BotConnection first = toLoad.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        List<BotConnection> batch = new ArrayList<>();
        batch.add(first);
        toLoad.drainTo(batch, LOAD_BATCH - 1);
        load(batch);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        Log.errorf(e, "Loading command streams failed");
      }
    }
  }

  private void load(List<BotConnection> batch) {
    List<BotConnection> live = batch.stream().filter(c -> !c.closed()).toList();
    if (live.isEmpty()) {
      return;
    }
    List<String> ids = live.stream().map(c -> c.botId).toList();
    BotStatusService.Loaded loaded;
    try {
      loaded = statuses.connect(ids, replica.id());
    } catch (RuntimeException e) {
      Log.warnf(e, "Could not load %d command streams; closing them so the bots retry", ids.size());
      live.forEach(c -> refuse(c, "UNAVAILABLE", "fleet-service could not load your commands"));
      return;
    }
    for (BotConnection connection : live) {
      Long seq = loaded.commandSeqs().get(connection.botId);
      if (seq == null) {
        refuse(connection, "BOT_NOT_IN_FLEET", "this bot is not in the fleet");
        continue;
      }
      BotConnection.Next next;
      synchronized (connection) {
        next =
            connection.synced(
                loaded.backlog().getOrDefault(connection.botId, List.of()), seq, writer);
      }
      if (next == BotConnection.Next.SYNC) {
        syncs.execute(() -> sync(connection));
      }
    }
  }

  private void refuse(BotConnection connection, String reason, String message) {
    synchronized (connection) {
      connection.close();
    }
    connections.remove(connection.botId, connection);
    connection.sink.refuse(reason, message);
  }

  /** A NOTIFY from any replica: "replica:command id", or a reconnection of the listener. */
  private void announced(String payload) {
    if (PgNotifications.RECONNECTED.equals(payload)) {
      // Notifications may have been missed: check every stream against the database.
      syncs.execute(this::resyncAll);
      return;
    }
    int colon = payload.indexOf(':');
    if (colon < 0 || payload.substring(0, colon).equals(replica.id()) || connections.isEmpty()) {
      return;
    }
    UUID commandId;
    try {
      commandId = UUID.fromString(payload.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      return;
    }
    fanOut.execute(() -> deliverAnnounced(commandId));
  }

  private void deliverAnnounced(UUID commandId) {
    try {
      record Found(Optional<OutgoingCommand> command, List<Target> targets) {}
      Found found =
          QuarkusTransaction.requiringNew()
              .call(() -> new Found(commands.outgoing(commandId), commands.targets(commandId)));
      found.command().ifPresent(command -> deliver(command, found.targets()));
    } catch (RuntimeException e) {
      Log.warnf(e, "Could not deliver command %s announced by another replica", commandId);
    }
  }

  /** Compares every stream with the database and reads what any of them missed. */
  void resyncAll() {
    if (connections.isEmpty()) {
      return;
    }
    try {
      List<String> ids = new ArrayList<>(connections.keySet());
      for (int from = 0; from < ids.size(); from += LOAD_BATCH) {
        List<String> part = ids.subList(from, Math.min(ids.size(), from + LOAD_BATCH));
        Map<String, Long> seqs =
            QuarkusTransaction.requiringNew().call(() -> connectionRows.commandSeqs(part));
        seqs.forEach(
            (botId, seq) -> {
              BotConnection connection = connections.get(botId);
              if (connection == null) {
                return;
              }
              boolean start;
              synchronized (connection) {
                start = connection.startSync(seq);
              }
              if (start) {
                syncs.execute(() -> sync(connection));
              }
            });
      }
    } catch (RuntimeException e) {
      Log.warnf(e, "Periodic check of the command streams failed");
    }
  }

  private static OutgoingCommand withSequence(OutgoingCommand command, long sequence) {
    return new OutgoingCommand(
        command.commandId(),
        sequence,
        command.type(),
        command.payload(),
        command.expiresAt(),
        command.issuedAt(),
        command.priority());
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
