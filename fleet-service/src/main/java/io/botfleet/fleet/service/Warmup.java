package io.botfleet.fleet.service;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.fleet.client.HealthClient;
import io.botfleet.fleet.client.IdentityClient;
import io.botfleet.fleet.client.PermissionClient;
import io.botfleet.fleet.config.FleetConfig;
import io.botfleet.fleet.domain.BotStatus;
import io.botfleet.fleet.domain.CommandPayloads;
import io.botfleet.fleet.domain.CommandType;
import io.botfleet.fleet.domain.DeliveryState;
import io.botfleet.fleet.domain.FleetEventTypes;
import io.botfleet.fleet.domain.OutgoingCommand;
import io.botfleet.fleet.domain.Scope;
import io.botfleet.fleet.persistence.CommandRepository;
import io.botfleet.fleet.persistence.CommandRepository.StateChange;
import io.botfleet.fleet.persistence.CommandRepository.Target;
import io.botfleet.fleet.persistence.ConnectionRepository;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.NotSupportedException;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Warms the kill switch's path before the service reports ready: the kill switch is used once, in a
 * hurry, and a cold JVM (interpreted code, unprepared statements, unopened connections) took
 * seconds where a warm one takes a fraction of one. Each round runs the emergency stop's statements
 * against synthetic bots inside a transaction that is always rolled back (nothing is ever visible),
 * and sends the commands over real command streams that this replica opens to itself through the
 * loopback interface (the whole write and acknowledgement path of the transport), with a key made
 * for the warm-up that exists only in this process's key cache and is dropped afterwards.
 */
@ApplicationScoped
public class Warmup {

  /** Loopback command streams to this replica, opened by the gRPC layer. */
  public interface Streams {
    /** Opens {@code count} streams; returns their server ends. */
    List<CommandSink> open(int count);

    /** Closes them and forgets the warm-up key. */
    void close();
  }

  @Inject CommandRepository commands;
  @Inject ConnectionRepository connections;
  @Inject CommandDispatcher dispatcher;
  @Inject FleetEvents events;
  @Inject IdentityClient identity;
  @Inject PermissionClient permission;
  @Inject HealthClient health;
  @Inject EntityManager entityManager;
  @Inject KeyCache keyCache;
  @Inject Replica replica;
  @Inject FleetConfig config;
  @Inject Instance<Streams> streams;
  @Inject TransactionManager transactions;

  private volatile boolean done;

  /** True once the warm-up is over (or disabled): until then the service is not ready. */
  public boolean done() {
    return done || !config.warmup().enabled();
  }

  void start(@Observes StartupEvent event) {
    if (!config.warmup().enabled()) {
      return;
    }
    Thread thread = new Thread(this::warm, "fleet-warmup");
    thread.setDaemon(true);
    thread.start();
  }

  private void warm() {
    long start = System.nanoTime();
    try {
      identity.warmUp();
      permission.warmUp();
      health.warmUp();
      // The loopback streams authenticate like any bot: wait until requests can be verified.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!keyCache.ready() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      List<CommandSink> sinks = List.of();
      try {
        if (streams.isResolvable()) {
          sinks = streams.get().open(Math.max(1, Math.min(200, config.warmup().bots() / 10)));
        }
      } catch (RuntimeException e) {
        Log.warnf(
            "Warm-up without loopback streams (%s): the transport stays cold", e.getMessage());
      }
      for (int round = 0; round < config.warmup().rounds(); round++) {
        try {
          round(round, sinks);
        } catch (RuntimeException e) {
          Log.warnf(e, "Warm-up round %d failed; continuing", round);
        }
      }
      if (streams.isResolvable()) {
        streams.get().close();
      }
      Log.infof(
          "Kill switch path warmed in %d ms (%d rounds of %d synthetic bots over %d streams)",
          (System.nanoTime() - start) / 1_000_000,
          config.warmup().rounds(),
          config.warmup().bots(),
          sinks.size());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      Log.warnf(e, "Warm-up failed; the service starts cold");
    } finally {
      done = true;
    }
  }

  private void round(int round, List<CommandSink> sinks) {
    String tag = "warmup-" + UUID.randomUUID().toString().substring(0, 8);
    int size = config.warmup().bots();
    List<String> ids = IntStream.rangeClosed(1, size).mapToObj(i -> tag + "-" + i).toList();
    Scope scope = round % 2 == 0 ? new Scope.Group(tag) : new Scope.Bots(ids);
    Instant now = Instant.now();
    Map<String, Object> payload =
        CommandPayloads.emergencyStop("warm-up", CommandPayloads.STOP_ACTIONS, now);
    UUID id = UUID.randomUUID();
    List<Target> targets;
    // Nothing of a round may stay: its transaction is always rolled back. (The transaction manager
    // directly: this thread has no request context for QuarkusTransaction.begin.)
    try {
      transactions.begin();
    } catch (NotSupportedException | SystemException e) {
      throw new IllegalStateException("cannot begin the warm-up transaction", e);
    }
    try {
      entityManager
          .createNativeQuery(
              "insert into bots (id, name, bot_group, exchange, strategy, version, status,"
                  + " max_position_usd, tier, registered_at)"
                  + " select :tag || '-' || g, :tag || '-' || g, :tag, 'warmup', 'warmup',"
                  + " '0', 'ACTIVE', 1, 'trade', now() from generate_series(1, :n) g")
          .setParameter("tag", tag)
          .setParameter("n", size)
          .executeUpdate();
      targets =
          commands.insert(
              new CommandRepository.NewCommand(
                  id,
                  CommandType.EMERGENCY_STOP,
                  payload,
                  scope,
                  "system",
                  now,
                  now.plus(Duration.ofMinutes(1)),
                  tag,
                  true),
              new CommandRepository.Selection(
                  scope, EnumSet.complementOf(EnumSet.of(BotStatus.REVOKED)), null),
              CommandRepository.Transition.STOP,
              "warm-up");
      commands.cancelSuperseded(ids, "warm-up");
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("reason", "warm-up");
      event.put("bots_affected", targets.size());
      event.put("bot_ids", ids);
      event.put("timestamp", now.toString());
      events.record(FleetEventTypes.EMERGENCY_STOP, null, "system", event);
      commands.recordSent(
          targets.stream()
              .map(t -> new StateChange(t.botId(), t.sequence(), id, DeliveryState.SENT, ""))
              .toList());
      commands.recordAcks(
          targets.stream()
              .map(t -> new StateChange(t.botId(), t.sequence(), id, DeliveryState.DONE, ""))
              .toList());
      List<String> some = ids.subList(0, Math.min(200, ids.size()));
      connections.connect(some, replica.id());
      commands.backlog(some);
      commands.find(id);
    } finally {
      try {
        transactions.rollback();
      } catch (SystemException e) {
        Log.warnf("Rolling back the warm-up failed: %s", e.getMessage());
      }
    }
    // The delivery logic and the transport, on streams that acknowledge what they get (the
    // acknowledgements meet no delivery and change nothing).
    if (!sinks.isEmpty()) {
      dispatcher.exercise(
          new OutgoingCommand(
              id, 0, CommandType.EMERGENCY_STOP, payload, now.plusSeconds(60), now, true),
          targets,
          sinks);
    }
  }
}
