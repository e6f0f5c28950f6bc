package io.botfleet.fleet.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.Violations;
import io.botfleet.fleet.config.FleetConfig;
import io.botfleet.fleet.domain.Bot;
import io.botfleet.fleet.domain.BotStatus;
import io.botfleet.fleet.domain.CommandPayloads;
import io.botfleet.fleet.domain.CommandType;
import io.botfleet.fleet.domain.Control;
import io.botfleet.fleet.domain.DeliveryState;
import io.botfleet.fleet.domain.FleetEventTypes;
import io.botfleet.fleet.domain.Scope;
import io.botfleet.fleet.persistence.BotEntity;
import io.botfleet.fleet.persistence.BotRepository;
import io.botfleet.fleet.persistence.CommandRepository;
import io.botfleet.fleet.persistence.CommandRepository.Transition;
import io.botfleet.fleet.persistence.ConnectionRepository;
import io.botfleet.fleet.service.CommandService.Issue;
import io.botfleet.fleet.service.CommandService.Issued;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bots leaving the fleet. Deregistration: {@code shutdown}, then after the grace period (or the
 * bot's acknowledgement, whichever comes first; a persisted deadline) the identity is revoked,
 * permissions removed and health tracking stopped. Revocation of a compromised bot: {@code
 * emergency_stop} with destroy_local_keys first, its permissions suspended, its identity revoked;
 * no other bot is touched.
 */
@ApplicationScoped
public class BotLifecycleService {

  private static final int DEFAULT_GRACE_SECONDS = 30;

  @Inject CommandService commands;
  @Inject CommandRepository commandRows;
  @Inject BotRepository bots;
  @Inject ConnectionRepository connections;
  @Inject TaskQueue tasks;
  @Inject FleetEvents events;
  @Inject FleetControlService control;
  @Inject FleetConfig config;

  private final java.util.concurrent.atomic.AtomicBoolean finishSoon =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * The outcome of a deregistration or revocation.
   *
   * @param bot the bot now
   * @param commandId the shutdown or emergency_stop command
   */
  public record Outcome(Bot bot, String commandId) {}

  /**
   * Tells a bot to shut down; it leaves the fleet after the grace period or its acknowledgement.
   */
  public Outcome deregister(String botId, int graceSeconds, String requestId) {
    new Violations()
        .require(!botId.isBlank(), "bot_id", "is required")
        .require(
            graceSeconds >= 0 && graceSeconds <= 3600,
            "grace_period_seconds",
            "must be between 0 and 3600 (0 means the default, 30)")
        .require(requestId.length() <= 128, "request_id", "at most 128 characters")
        .throwIfAny();
    int grace = graceSeconds == 0 ? DEFAULT_GRACE_SECONDS : graceSeconds;
    String key = requestId.isBlank() ? null : requestId;
    String actor = FleetEvents.actor();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              BotEntity bot = get(botId);
              if (bot.status == BotStatus.DEREGISTERING && key == null) {
                throw BotfleetException.failedPrecondition(
                    "BOT_DEREGISTERING",
                    "bot " + botId + " is already being deregistered",
                    Map.of("bot_id", botId));
              }
            });
    Issued issued =
        commands.issue(
            new Issue(
                CommandType.SHUTDOWN,
                CommandPayloads.shutdown(grace, Instant.now()),
                Scope.bot(botId),
                FleetControlService.ADDRESSABLE,
                null,
                Transition.NONE,
                null,
                Duration.ofSeconds(grace).plusHours(1),
                key,
                false,
                actor,
                in -> {
                  if (in.targets().isEmpty()) {
                    throw notInFleet(botId);
                  }
                  BotEntity bot = bots.findById(botId);
                  bot.changeStatus(BotStatus.DEREGISTERING, "deregistered by " + actor);
                  bot.deregisterDueAt = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(grace);
                  commandRows.cancelOpen(
                      botId, in.command().id(), "withdrawn: the bot is being deregistered");
                  Map<String, Object> payload = new LinkedHashMap<>();
                  payload.put("agent_id", botId);
                  payload.put("bot_name", bot.name);
                  payload.put("command_id", in.command().id().toString());
                  payload.put("grace_period_seconds", grace);
                  events.record(FleetEventTypes.BOT_DEREGISTERING, botId, actor, payload);
                }));
    Log.infof("Deregistering %s (grace %d s) by %s", botId, grace, actor);
    return new Outcome(current(botId), issued.command().id().toString());
  }

  /**
   * Revokes a compromised bot: its last command (emergency_stop with destroy_local_keys), the
   * suspension of its permissions, the revocation of its identity. Answers UNAVAILABLE if the
   * identity could not be revoked yet (it is retried; a retry of this call with the same request id
   * answers once it is done).
   */
  public Outcome revoke(String botId, String reason, String requestId) {
    new Violations()
        .require(!botId.isBlank(), "bot_id", "is required")
        .require(!reason.isBlank() && reason.length() <= 1024, "reason", "is required (1 to 1024)")
        .require(requestId.length() <= 128, "request_id", "at most 128 characters")
        .throwIfAny();
    String key = requestId.isBlank() ? null : requestId;
    String actor = FleetEvents.actor();
    String commandReason = "identity_revoked: " + reason;
    List<String> actions = new ArrayList<>(CommandPayloads.STOP_ACTIONS);
    actions.add(CommandPayloads.DESTROY_LOCAL_KEYS);
    AtomicLong suspension = new AtomicLong();
    AtomicLong revocation = new AtomicLong();
    Issued issued =
        commands.issue(
            new Issue(
                CommandType.EMERGENCY_STOP,
                CommandPayloads.emergencyStop(commandReason, actions, Instant.now()),
                Scope.bot(botId),
                FleetControlService.STOPPABLE,
                null,
                Transition.STOP,
                "revoked by " + actor + ": " + reason,
                Duration.ofDays(7),
                key,
                true,
                actor,
                in -> {
                  if (in.targets().isEmpty()) {
                    BotEntity bot = bots.findById(botId);
                    if (bot == null) {
                      throw notFound(botId);
                    }
                    throw BotfleetException.failedPrecondition(
                        "BOT_NOT_IN_FLEET",
                        "bot "
                            + botId
                            + " is "
                            + bot.status.name().toLowerCase(java.util.Locale.ROOT)
                            + " already",
                        Map.of("bot_id", botId));
                  }
                  BotEntity bot = bots.findById(botId);
                  bot.changeStatus(BotStatus.REVOKED, "revoked by " + actor + ": " + reason);
                  bot.control = Control.STOPPED;
                  control.recordIssued(in, commandReason);
                  suspension.set(control.suspend(in, Control.STOPPED, commandReason));
                  Map<String, Object> revoke = new LinkedHashMap<>();
                  revoke.put("bot_id", botId);
                  revoke.put("bot_name", bot.name);
                  revoke.put("reason", commandReason);
                  revoke.put("audit", true);
                  revoke.put("audit_reason", reason);
                  revoke.put("actor", actor);
                  // Held back a moment so the emergency stop reaches the bot's stream before the
                  // revocation closes it; made at once below when it has (or the bot is offline).
                  revocation.set(
                      tasks.enqueue(
                          "identity",
                          TaskRunner.REVOKE_IDENTITY,
                          revoke,
                          Instant.now().plus(config.revokeDeliveryWait())));
                  tasks.enqueue("health", TaskRunner.UNTRACK, Map.of("bot_id", botId));
                }));
    if (!issued.replay()) {
      tasks.await("permission", suspension.get(), config.enforcementWait());
      waitUntilSentOrOffline(issued, botId);
      QuarkusTransaction.requiringNew().run(() -> tasks.dueNow(revocation.get()));
      tasks.drain("health");
    }
    long revokeTask = revocation.get() != 0 ? revocation.get() : revocationTaskOf(botId);
    if (revokeTask != 0
        && !tasks.await(
            "identity", revokeTask, config.callDeadline().plus(config.enforcementWait()))) {
      throw BotfleetException.unavailable(
          "IDENTITY_REVOCATION_PENDING",
          "bot "
              + botId
              + " was told to stop and destroy its keys and its permissions are suspended, but"
              + " identity-service has not revoked its identity yet; it is retried until it does."
              + " Retry this call with the same request_id to learn when it is done");
    }
    Log.infof("Revoked %s by %s: %s", botId, actor, reason);
    return new Outcome(current(botId), issued.command().id().toString());
  }

  private void waitUntilSentOrOffline(Issued issued, String botId) {
    Instant deadline = Instant.now().plus(config.revokeDeliveryWait());
    while (Instant.now().isBefore(deadline)) {
      boolean done =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      !connections.connected(botId)
                          || commandRows
                              .stateOf(issued.command().id(), botId)
                              .map(s -> s != DeliveryState.PENDING)
                              .orElse(true));
      if (done) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private long revocationTaskOf(String botId) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Object id =
                  bots.getEntityManager()
                      .createNativeQuery(
                          "select max(id) from fleet_tasks where kind = :kind"
                              + " and input->>'bot_id' = :bot")
                      .setParameter("kind", TaskRunner.REVOKE_IDENTITY)
                      .setParameter("bot", botId)
                      .getSingleResult();
              return id == null ? 0L : ((Number) id).longValue();
            });
  }

  /**
   * A bot acknowledged its shutdown: its deregistration finishes now rather than after the grace
   * period. Returns true if a deregistration became due. Runs in the caller's transaction.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean shutdownAcknowledged(String botId) {
    return bots.getEntityManager()
            .createNativeQuery(
                "update bots set deregister_due_at = now() where id = :id"
                    + " and status = 'DEREGISTERING' and deregister_due_at > now()")
            .setParameter("id", botId)
            .executeUpdate()
        > 0;
  }

  /** Asks the sweep to finish due deregistrations at its next pass without waiting. */
  void finishDueDeregistrationsSoon() {
    finishSoon.set(true);
  }

  /** True (once) if someone asked for an early sweep. */
  boolean takeFinishSoon() {
    return finishSoon.getAndSet(false);
  }

  /**
   * Finishes the deregistrations whose grace period is over: the bot leaves the fleet and its
   * identity, permissions and health tracking go (queued calls). Returns how many.
   */
  public int finishDueDeregistrations() {
    int finished =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  List<BotEntity> due = bots.lockDueDeregistrations(100);
                  for (BotEntity bot : due) {
                    bot.changeStatus(BotStatus.DEREGISTERED, "deregistered");
                    bot.deregisterDueAt = null;
                    commandRows.cancelOpen(bot.id, null, "withdrawn: the bot left the fleet");
                    tasks.enqueue(
                        "identity",
                        TaskRunner.REVOKE_IDENTITY,
                        Map.of(
                            "bot_id", bot.id,
                            "bot_name", bot.name,
                            "reason", "deregistered_from_fleet"));
                    tasks.enqueue(
                        "permission",
                        TaskRunner.REMOVE_PERMISSIONS,
                        Map.of("bot_id", bot.id, "reason", "deregistered_from_fleet"));
                    tasks.enqueue("health", TaskRunner.UNTRACK, Map.of("bot_id", bot.id));
                    Map<String, Object> payload = new LinkedHashMap<>();
                    payload.put("agent_id", bot.id);
                    payload.put("bot_name", bot.name);
                    payload.put("reason", "deregistered_from_fleet");
                    events.record(FleetEventTypes.BOT_DEREGISTERED, bot.id, "system", payload);
                  }
                  return due.size();
                });
    if (finished > 0) {
      Log.infof("%d bots left the fleet after their deregistration", finished);
      tasks.drainAll();
    }
    return finished;
  }

  private Bot current(String botId) {
    return QuarkusTransaction.requiringNew()
        .call(() -> get(botId).toDomain(connections.connected(botId)));
  }

  private BotEntity get(String botId) {
    return Optional.ofNullable(bots.findById(botId)).orElseThrow(() -> notFound(botId));
  }

  private static BotfleetException notFound(String botId) {
    return BotfleetException.notFound(
        "BOT_NOT_FOUND", "no bot " + botId + " in the fleet", Map.of("bot_id", botId));
  }

  private BotfleetException notInFleet(String botId) {
    BotEntity bot = bots.findById(botId);
    if (bot == null) {
      return notFound(botId);
    }
    return BotfleetException.failedPrecondition(
        "BOT_NOT_IN_FLEET",
        "bot " + botId + " is " + bot.status.name().toLowerCase(java.util.Locale.ROOT) + " already",
        Map.of("bot_id", botId));
  }
}
