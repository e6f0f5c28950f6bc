package io.botfleet.fleet.service;

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
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Warms the kill switch's path before the service takes traffic: the kill switch is used once, in a
 * hurry, and a cold JVM (interpreted code, unprepared statements, unopened connections to the other
 * services) took seconds where a warm one takes a fraction of one. Each round runs the emergency
 * stop's statements against synthetic bots inside a transaction that is rolled back (nothing is
 * ever visible or sent), and the delivery logic against streams that discard what they get.
 */
@ApplicationScoped
public class Warmup {

  @Inject CommandRepository commands;
  @Inject ConnectionRepository connections;
  @Inject CommandDispatcher dispatcher;
  @Inject FleetEvents events;
  @Inject IdentityClient identity;
  @Inject PermissionClient permission;
  @Inject HealthClient health;
  @Inject EntityManager entityManager;
  @Inject Replica replica;
  @Inject FleetConfig config;

  /** Whatever the gRPC layer wants warmed too (it converts and serializes commands). */
  @Inject jakarta.enterprise.inject.Instance<WarmupSink> sinks;

  /** A stream that discards what it is sent, provided by the gRPC layer for the warm-up. */
  public interface WarmupSink extends CommandSink {}

  void warm(@Observes @Priority(50) StartupEvent event) {
    if (!config.warmup().enabled()) {
      return;
    }
    long start = System.nanoTime();
    identity.warmUp();
    permission.warmUp();
    health.warmUp();
    CommandSink sink =
        sinks.isResolvable()
            ? sinks.get()
            : new CommandSink() {
              @Override
              public void send(OutgoingCommand command) {}

              @Override
              public boolean ready() {
                return true;
              }

              @Override
              public void refuse(String reason, String message) {}
            };
    for (int round = 0; round < config.warmup().rounds(); round++) {
      try {
        round(round, sink);
      } catch (RuntimeException e) {
        Log.warnf(e, "Warm-up round %d failed; continuing", round);
      }
    }
    Log.infof(
        "Kill switch path warmed in %d ms (%d rounds of %d synthetic bots)",
        (System.nanoTime() - start) / 1_000_000, config.warmup().rounds(), config.warmup().bots());
  }

  private void round(int round, CommandSink sink) {
    String tag = "warmup-" + UUID.randomUUID().toString().substring(0, 8);
    int size = config.warmup().bots();
    // Nothing of a round may stay: it runs in a transaction that is always rolled back.
    QuarkusTransaction.begin();
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
      List<String> ids =
          java.util.stream.IntStream.rangeClosed(1, size).mapToObj(i -> tag + "-" + i).toList();
      Scope scope = round % 2 == 0 ? new Scope.Group(tag) : new Scope.Bots(ids);
      Instant now = Instant.now();
      Map<String, Object> payload =
          CommandPayloads.emergencyStop("warm-up", CommandPayloads.STOP_ACTIONS, now);
      UUID id = UUID.randomUUID();
      List<Target> targets =
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
      dispatcher.exercise(
          new OutgoingCommand(
              id, 0, CommandType.EMERGENCY_STOP, payload, now.plusSeconds(60), now, true),
          targets,
          sink);
      commands.recordSent(
          targets.stream()
              .map(t -> new StateChange(t.botId(), t.sequence(), null, DeliveryState.SENT, ""))
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
      QuarkusTransaction.rollback();
    }
  }
}
