package io.botfleet.fleet.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.Violations;
import io.botfleet.common.greenhelix.Outbox;
import io.botfleet.fleet.domain.Bot;
import io.botfleet.fleet.domain.BotStatus;
import io.botfleet.fleet.domain.CommandPayloads;
import io.botfleet.fleet.domain.CommandType;
import io.botfleet.fleet.domain.Failover;
import io.botfleet.fleet.domain.FailoverDecision;
import io.botfleet.fleet.domain.FleetEventTypes;
import io.botfleet.fleet.domain.GroupPolicy;
import io.botfleet.fleet.domain.Scope;
import io.botfleet.fleet.persistence.BotEntity;
import io.botfleet.fleet.persistence.BotRepository;
import io.botfleet.fleet.persistence.CommandRepository.Transition;
import io.botfleet.fleet.persistence.FailoverEntity;
import io.botfleet.fleet.persistence.FailoverRepository;
import io.botfleet.fleet.persistence.GroupPolicyRepository;
import io.botfleet.fleet.persistence.HealthWatchRepository;
import io.botfleet.fleet.service.CommandService.Issue;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Failover (end of chapter 5): the operator's InitiateFailover, and the decision taken when
 * health-service declares a bot dead, per the group's policy.
 */
@ApplicationScoped
public class FailoverService {

  /** The guide's reason. */
  public static final String DEFAULT_REASON = "failover_from_dead_bot";

  @Inject CommandService commands;
  @Inject BotRepository bots;
  @Inject FailoverRepository failovers;
  @Inject GroupPolicyRepository policies;
  @Inject HealthWatchRepository watch;
  @Inject TaskQueue tasks;
  @Inject FleetEvents events;
  @Inject Outbox outbox;

  /**
   * Fails a dead bot over to a standby of its group (chosen if {@code replacementId} is empty):
   * {@code assume_responsibility} to the replacement, which becomes active.
   */
  public Failover initiate(
      String deadId, String replacementId, String reason, String requestId, boolean automatic) {
    new Violations()
        .require(!deadId.isBlank(), "dead_bot_id", "is required")
        .require(
            !requestId.isBlank() && requestId.length() <= 128,
            "request_id",
            "is required (1 to 128 characters)")
        .require(reason.length() <= 1024, "reason", "at most 1024 characters")
        .throwIfAny();
    String why = reason.isBlank() ? DEFAULT_REASON : reason;
    String actor = automatic ? "system" : FleetEvents.actor();
    var earlier =
        QuarkusTransaction.requiringNew().call(() -> failovers.findByRequestId(requestId));
    if (earlier.isPresent()) {
      return earlier.get().toDomain();
    }
    record Plan(Bot dead, OffsetDateTime deadAt, Bot replacement, GroupPolicy policy) {}
    Plan plan =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  BotEntity dead = bots.findById(deadId);
                  if (dead == null) {
                    throw BotfleetException.notFound(
                        "BOT_NOT_FOUND", "no bot " + deadId, Map.of("bot_id", deadId));
                  }
                  if (dead.status != BotStatus.DEAD) {
                    throw BotfleetException.failedPrecondition(
                        "BOT_NOT_DEAD",
                        "bot " + deadId + " is " + dead.status + ", not dead: nothing to fail over",
                        Map.of("bot_id", deadId));
                  }
                  OffsetDateTime deadAt = dead.deadAt != null ? dead.deadAt : dead.statusChangedAt;
                  failovers
                      .findOf(deadId, deadAt)
                      .ifPresent(
                          f -> {
                            throw BotfleetException.failedPrecondition(
                                "ALREADY_FAILED_OVER",
                                "bot "
                                    + deadId
                                    + " was already failed over to "
                                    + f.replacementBotId,
                                Map.of("bot_id", deadId, "replacement_bot_id", f.replacementBotId));
                          });
                  BotEntity replacement = chooseReplacement(dead, replacementId);
                  return new Plan(
                      dead.toDomain(false),
                      deadAt,
                      replacement.toDomain(false),
                      policies.policyOf(dead.group));
                });
    Instant now = Instant.now();
    AtomicReference<FailoverEntity> made = new AtomicReference<>();
    commands.issue(
        new Issue(
            CommandType.ASSUME_RESPONSIBILITY,
            CommandPayloads.assumeResponsibility(plan.dead(), why, plan.policy().stateful(), now),
            Scope.bot(plan.replacement().id()),
            EnumSet.of(BotStatus.STANDBY),
            null,
            Transition.NONE,
            null,
            Duration.ofHours(1),
            "failover:" + requestId,
            false,
            actor,
            in -> {
              if (in.targets().isEmpty()) {
                throw BotfleetException.failedPrecondition(
                    "REPLACEMENT_NOT_STANDBY",
                    "bot " + plan.replacement().id() + " is no longer a connected standby",
                    Map.of("replacement_bot_id", plan.replacement().id()));
              }
              FailoverEntity failover = new FailoverEntity();
              failover.id = UUID.randomUUID();
              failover.deadBotId = plan.dead().id();
              failover.replacementBotId = plan.replacement().id();
              failover.group = plan.dead().group();
              failover.exchange = plan.dead().exchange();
              failover.reconcilePositions = plan.policy().stateful();
              failover.automatic = automatic;
              failover.commandId = in.command().id();
              failover.initiatedBy = actor;
              failover.deadAt = plan.deadAt();
              failover.requestId = requestId;
              failover.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
              failovers.persist(failover);
              BotEntity replacement = bots.findById(plan.replacement().id());
              replacement.standby = false;
              replacement.changeStatus(
                  BotStatus.ACTIVE, "took over from " + plan.dead().name() + " (" + why + ")");
              tasks.enqueue(
                  "health",
                  TaskRunner.TRACK,
                  Map.of(
                      "bot_id", replacement.id,
                      "name", replacement.name,
                      "group", replacement.group,
                      "exchange", replacement.exchange,
                      "strategy", replacement.strategy,
                      "standby", false));
              Map<String, Object> payload = new LinkedHashMap<>();
              payload.put("dead_bot", plan.dead().id());
              payload.put("replacement_bot", replacement.id);
              payload.put("group", plan.dead().group());
              payload.put("exchange", plan.dead().exchange());
              payload.put("automatic", automatic);
              payload.put("reconcile_positions", plan.policy().stateful());
              payload.put("command_id", in.command().id().toString());
              events.record(FleetEventTypes.FAILOVER, plan.dead().id(), actor, payload);
              made.set(failover);
            }));
    tasks.drain("health");
    if (made.get() == null) {
      return QuarkusTransaction.requiringNew()
          .call(() -> failovers.findByRequestId(requestId).orElseThrow().toDomain());
    }
    Log.infof(
        "Failover %s -> %s (%s, %s)",
        plan.dead().name(),
        plan.replacement().name(),
        automatic ? "automatic" : "by " + actor,
        plan.policy().stateful() ? "reconcile positions first" : "stateless");
    return made.get().toDomain();
  }

  private BotEntity chooseReplacement(BotEntity dead, String replacementId) {
    if (!replacementId.isBlank()) {
      BotEntity replacement = bots.findById(replacementId);
      if (replacement == null) {
        throw BotfleetException.notFound(
            "BOT_NOT_FOUND", "no bot " + replacementId, Map.of("bot_id", replacementId));
      }
      if (!replacement.group.equals(dead.group)) {
        throw BotfleetException.failedPrecondition(
            "REPLACEMENT_WRONG_GROUP",
            "the replacement must be a standby of group "
                + dead.group
                + ", not "
                + replacement.group,
            Map.of("replacement_bot_id", replacementId));
      }
      if (replacement.status != BotStatus.STANDBY) {
        throw BotfleetException.failedPrecondition(
            "REPLACEMENT_NOT_STANDBY",
            "the replacement must be a connected dormant standby; "
                + replacementId
                + " is "
                + replacement.status,
            Map.of("replacement_bot_id", replacementId));
      }
      return replacement;
    }
    return bots.standbys(dead.group).stream()
        .min(
            Comparator.comparing((BotEntity s) -> !s.exchange.equals(dead.exchange))
                .thenComparing(s -> s.name))
        .orElseThrow(
            () ->
                BotfleetException.failedPrecondition(
                    "NO_STANDBY",
                    "group " + dead.group + " has no connected dormant standby",
                    Map.of("group", dead.group)));
  }

  /**
   * Decides what a death means (manual, escalate, fail over) and does it. {@code healthSequence}
   * makes it idempotent: a health event applied twice fails over once.
   */
  public FailoverDecision onDeath(String deadId, long healthSequence) {
    record Situation(
        Bot dead, GroupPolicy policy, FailoverDecision.FleetHealth fleet, List<Bot> standbys) {}
    Situation situation =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  BotEntity dead = bots.findById(deadId);
                  long[] counts = bots.consideredAndDead();
                  return new Situation(
                      dead.toDomain(false),
                      policies.policyOf(dead.group),
                      new FailoverDecision.FleetHealth(
                          (int) counts[0], (int) counts[1], watch.read().massSilence()),
                      bots.standbys(dead.group).stream().map(b -> b.toDomain(false)).toList());
                });
    FailoverDecision decision =
        FailoverDecision.decide(
            situation.dead(), situation.policy(), situation.fleet(), situation.standbys());
    switch (decision.outcome()) {
      case NONE -> Log.infof("%s died: %s", situation.dead().name(), decision.reason());
      case MANUAL ->
          tellOperator(
              FleetEventTypes.FAILOVER_NEEDED, situation.dead(), decision, situation.fleet());
      case ESCALATE ->
          tellOperator(
              FleetEventTypes.FAILOVER_ESCALATED, situation.dead(), decision, situation.fleet());
      case FAIL_OVER -> {
        try {
          initiate(
              deadId,
              decision.replacement().orElseThrow().id(),
              DEFAULT_REASON,
              "health-" + healthSequence,
              true);
        } catch (BotfleetException e) {
          if (!"ALREADY_FAILED_OVER".equals(e.reason())) {
            tellOperator(
                FleetEventTypes.FAILOVER_ESCALATED,
                situation.dead(),
                new FailoverDecision(
                    FailoverDecision.Outcome.ESCALATE,
                    "automatic failover failed: " + e.getMessage(),
                    java.util.Optional.empty()),
                situation.fleet());
          }
        }
      }
    }
    return decision;
  }

  private void tellOperator(
      String type, Bot dead, FailoverDecision decision, FailoverDecision.FleetHealth fleet) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Map<String, Object> payload = new LinkedHashMap<>();
              payload.put("dead_bot", dead.id());
              payload.put("bot_name", dead.name());
              payload.put("group", dead.group());
              payload.put("exchange", dead.exchange());
              payload.put("reason", decision.reason());
              payload.put("dead_bots", fleet.dead());
              events.record(type, dead.id(), "system", payload);
              // The guide's alert: a message to the fleet manager, for the operator's dashboard.
              Map<String, Object> alert = new LinkedHashMap<>();
              alert.put("severity", "critical");
              alert.put("bot_name", dead.name());
              alert.put("agent_id", dead.id());
              alert.put("issues", List.of(decision.reason()));
              alert.put("timestamp", Instant.now().toString());
              Map<String, Object> message = new LinkedHashMap<>();
              message.put("from_agent_id", events.fleetManagerId());
              message.put("to_agent_id", events.fleetManagerId());
              message.put("message_type", "alert");
              message.put("payload", alert);
              outbox.enqueue(events.fleetManagerId(), "send_message", message);
            });
    Log.warnf("%s died; %s", dead.name(), decision.reason());
  }
}
