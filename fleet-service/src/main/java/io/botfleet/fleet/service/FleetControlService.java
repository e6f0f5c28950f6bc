package io.botfleet.fleet.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.Violations;
import io.botfleet.fleet.config.FleetConfig;
import io.botfleet.fleet.domain.BotStatus;
import io.botfleet.fleet.domain.CommandPayloads;
import io.botfleet.fleet.domain.CommandType;
import io.botfleet.fleet.domain.Control;
import io.botfleet.fleet.domain.FleetEventTypes;
import io.botfleet.fleet.domain.Scope;
import io.botfleet.fleet.persistence.BotRepository;
import io.botfleet.fleet.persistence.CommandRepository.Transition;
import io.botfleet.fleet.service.CommandService.Issue;
import io.botfleet.fleet.service.CommandService.Issued;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator's commands to a scope: pause, resume, the kill switch and any other command. Pause
 * and emergency stop are also enforced in permission-service (one SuspendBot for all the bots), so
 * a bot that ignores its command cannot open positions; a resume lifts pauses only, never a stop.
 */
@ApplicationScoped
public class FleetControlService {

  /** Bots a pause reaches: those running (or that will run once they connect or recover). */
  static final Set<BotStatus> PAUSABLE =
      EnumSet.of(BotStatus.PENDING, BotStatus.ACTIVE, BotStatus.DEAD);

  /** Bots a resume reaches, among those the operator paused. */
  static final Set<BotStatus> RESUMABLE =
      EnumSet.of(BotStatus.PENDING, BotStatus.PAUSED, BotStatus.DEAD);

  /** Bots the kill switch reaches: every bot still in the fleet. */
  static final Set<BotStatus> STOPPABLE =
      EnumSet.complementOf(EnumSet.of(BotStatus.DEREGISTERED, BotStatus.REVOKED));

  /** Bots any other command reaches: in the fleet and not leaving it. */
  static final Set<BotStatus> ADDRESSABLE =
      EnumSet.of(
          BotStatus.PENDING,
          BotStatus.ACTIVE,
          BotStatus.PAUSED,
          BotStatus.STOPPED,
          BotStatus.DEAD,
          BotStatus.STANDBY);

  private static final Duration MIN_TTL = Duration.ofSeconds(1);
  private static final Duration MAX_TTL = Duration.ofDays(30);

  @Inject CommandService commands;
  @Inject TaskQueue tasks;
  @Inject FleetEvents events;
  @Inject BotRepository bots;
  @Inject FleetConfig config;

  /** Pauses the active bots of a scope. */
  public Issued pause(Scope scope, String reason, Duration ttl, String requestId) {
    check(scope, reason, true, ttl, requestId);
    String actor = FleetEvents.actor();
    AtomicLong enforcement = new AtomicLong();
    Issued issued =
        commands.issue(
            new Issue(
                CommandType.PAUSE,
                CommandPayloads.pause(reason, Instant.now()),
                scope,
                PAUSABLE,
                Control.ACTIVE,
                Transition.PAUSE,
                "paused by " + actor + ": " + reason,
                ttl,
                requestId,
                false,
                actor,
                in -> {
                  recordIssued(in, reason);
                  if (!in.targets().isEmpty()) {
                    enforcement.set(suspend(in, Control.PAUSED, reason));
                  }
                }));
    awaitEnforcement(enforcement.get(), issued);
    Log.infof("Paused %d bots (%s) by %s: %s", issued.targets().size(), scope, actor, reason);
    return issued;
  }

  /** Resumes the paused bots of a scope (stopped bots stay stopped). */
  public Issued resume(Scope scope, String reason, Duration ttl, String requestId) {
    check(scope, reason, false, ttl, requestId);
    String actor = FleetEvents.actor();
    AtomicLong enforcement = new AtomicLong();
    Issued issued =
        commands.issue(
            new Issue(
                CommandType.RESUME,
                CommandPayloads.resume(reason, Instant.now()),
                scope,
                RESUMABLE,
                Control.PAUSED,
                Transition.RESUME,
                "resumed by " + actor + (reason == null || reason.isBlank() ? "" : ": " + reason),
                ttl,
                requestId,
                false,
                actor,
                in -> {
                  recordIssued(in, reason);
                  if (!in.targets().isEmpty()) {
                    enforcement.set(
                        tasks.enqueue(
                            "permission",
                            TaskRunner.UNSUSPEND_PAUSED,
                            Map.of(
                                "bot_ids", in.botIds(),
                                "reason", reason == null ? "" : reason,
                                "command_id", in.command().id().toString())));
                  }
                }));
    awaitEnforcement(enforcement.get(), issued);
    Log.infof("Resumed %d bots (%s) by %s", issued.targets().size(), scope, actor);
    return issued;
  }

  /**
   * The kill switch: {@code emergency_stop} to every bot of the scope still in the fleet, ahead of
   * anything queued (which it cancels), their permissions suspended (STOPPED).
   */
  public Issued emergencyStop(
      Scope scope, String reason, List<String> actions, Duration ttl, String requestId) {
    check(scope, reason, true, ttl, requestId);
    List<String> stopActions = actions.isEmpty() ? CommandPayloads.STOP_ACTIONS : actions;
    String actor = FleetEvents.actor();
    Instant now = Instant.now();
    AtomicLong enforcement = new AtomicLong();
    Issued issued =
        commands.issue(
            new Issue(
                CommandType.EMERGENCY_STOP,
                CommandPayloads.emergencyStop(reason, stopActions, now),
                scope,
                STOPPABLE,
                null,
                Transition.STOP,
                "emergency stop by " + actor + ": " + reason,
                ttl,
                requestId,
                true,
                actor,
                in -> {
                  Map<String, Object> payload = new LinkedHashMap<>();
                  payload.put("reason", reason);
                  payload.put("bots_affected", in.targets().size());
                  payload.put("bot_ids", in.botIds());
                  payload.put("timestamp", now.toString());
                  payload.put("command_id", in.command().id().toString());
                  events.record(FleetEventTypes.EMERGENCY_STOP, singleBot(scope), actor, payload);
                  if (!in.targets().isEmpty()) {
                    enforcement.set(suspend(in, Control.STOPPED, reason));
                  }
                }));
    awaitEnforcement(enforcement.get(), issued);
    Log.infof(
        "EMERGENCY STOP of %d bots (%s) by %s: %s", issued.targets().size(), scope, actor, reason);
    return issued;
  }

  /** Any other command with its payload (the guide's send_group_command). */
  public Issued send(
      Scope scope, String type, Map<String, Object> payload, Duration ttl, String requestId) {
    CommandType.checkSendable(type, "type");
    check(scope, null, false, ttl, requestId);
    String actor = FleetEvents.actor();
    Issued issued =
        commands.issue(
            new Issue(
                type,
                CommandPayloads.custom(type, payload, Instant.now()),
                scope,
                ADDRESSABLE,
                null,
                Transition.NONE,
                null,
                ttl,
                requestId,
                false,
                actor,
                in -> recordIssued(in, null)));
    Log.infof("Command %s to %d bots (%s) by %s", type, issued.targets().size(), scope, actor);
    return issued;
  }

  /** Queues the suspension of the bots a command reached; returns the queued call. */
  long suspend(Issued in, Control mode, String reason) {
    return tasks.enqueue(
        "permission",
        TaskRunner.SUSPEND,
        Map.of(
            "bot_ids", in.botIds(),
            "mode", mode.name(),
            "reason", reason,
            "command_id", in.command().id().toString()));
  }

  void recordIssued(Issued in, String reason) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("command_id", in.command().id().toString());
    payload.put("command", in.command().type());
    payload.put("scope", in.command().scope().toMap());
    payload.put("bots_affected", in.targets().size());
    payload.put("bot_ids", in.botIds());
    if (reason != null && !reason.isBlank()) {
      payload.put("reason", reason);
    }
    events.record(
        FleetEventTypes.COMMAND_ISSUED,
        singleBot(in.command().scope()),
        in.command().issuedBy(),
        payload);
  }

  private void awaitEnforcement(long taskId, Issued issued) {
    if (taskId == 0 || issued.replay()) {
      return;
    }
    long started = System.nanoTime();
    boolean enforced = tasks.await("permission", taskId, config.enforcementWait());
    Log.debugf(
        "Enforcement of %s %s: %d ms",
        issued.command().type(), issued.command().id(), (System.nanoTime() - started) / 1_000_000);
    if (!enforced) {
      Log.warnf(
          "permission-service has not enforced %s %s yet: the bots got the command, and the"
              + " suspension is retried until it is in force",
          issued.command().type(), issued.command().id());
    }
  }

  /** NOT_FOUND for a group with no bot or bots that are not in the fleet; INVALID_ARGUMENT else. */
  private void check(
      Scope scope, String reason, boolean reasonRequired, Duration ttl, String requestId) {
    Scope.check(scope, "scope");
    Violations violations = new Violations();
    if (reasonRequired) {
      violations.require(reason != null && !reason.isBlank(), "reason", "is required");
    }
    violations.require(
        reason == null || reason.length() <= 1024, "reason", "at most 1024 characters");
    violations.require(
        ttl.compareTo(MIN_TTL) >= 0 && ttl.compareTo(MAX_TTL) <= 0,
        "ttl",
        "must be between 1 second and 30 days");
    violations.require(
        requestId != null && !requestId.isBlank() && requestId.length() <= 128,
        "request_id",
        "is required (1 to 128 characters): it makes a retried command safe");
    violations.throwIfAny();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              if (scope instanceof Scope.Group g && !bots.groupExists(g.group())) {
                throw BotfleetException.notFound(
                    "GROUP_NOT_FOUND",
                    "no bot of the fleet is in group " + g.group(),
                    Map.of("group", g.group()));
              }
              if (scope instanceof Scope.Bots b) {
                List<String> missing = bots.missing(b.botIds());
                if (!missing.isEmpty()) {
                  throw BotfleetException.notFound(
                      "BOT_NOT_FOUND",
                      missing.size()
                          + " of the bots are not in the fleet, e.g. "
                          + missing.get(0)
                          + "; nothing was sent",
                      Map.of(
                          "bot_ids",
                          String.join(",", missing.subList(0, Math.min(20, missing.size())))));
                }
              }
            });
  }

  private static String singleBot(Scope scope) {
    return scope instanceof Scope.Bots b && b.botIds().size() == 1 ? b.botIds().get(0) : null;
  }
}
