package io.botfleet.deploy.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.deploy.client.FleetClient;
import io.botfleet.deploy.client.HealthClient;
import io.botfleet.deploy.config.DeployConfig;
import io.botfleet.deploy.domain.BotDeploymentState;
import io.botfleet.deploy.domain.BotHealth;
import io.botfleet.deploy.domain.BotStatus;
import io.botfleet.deploy.domain.Delivery;
import io.botfleet.deploy.domain.DeploymentState;
import io.botfleet.deploy.domain.FleetBot;
import io.botfleet.deploy.domain.RolloutPlan;
import io.botfleet.deploy.persistence.DeploymentBotEntity;
import io.botfleet.deploy.persistence.DeploymentEntity;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An update step: decide which bots of the batch go now (at most max_unavailable in flight; bots
 * not active when their batch comes are skipped), drain stateful ones, send update_version, and
 * count a bot as updated only once it acknowledged and then heartbeated with the new version. A
 * refusal or failure rolls the deployment back; no progress for the deadline pauses (or aborts) it.
 *
 * <p>Every decision is committed before the call that carries it out, and every command id after
 * it, so after a crash the next driver finds what was sent (by command id) and re-sends only what
 * may not have been, under the same idempotency key.
 */
@ApplicationScoped
public class BotUpdates {

  @Inject DeploymentLocks locks;
  @Inject FleetClient fleet;
  @Inject HealthClient health;
  @Inject BotDrains drains;
  @Inject DeploymentTransitions transitions;
  @Inject DeploymentJournal journal;
  @Inject DeployConfig config;
  @Inject Clock clock;

  /** Advances the update step the deployment is at, as far as it can go now. */
  void advance(DeploymentLocks.Snapshot snapshot, RolloutPlan plan, String owner) {
    DeploymentEntity d = snapshot.deployment();
    int stepIndex = d.currentStep;
    int batch = plan.batchOf(stepIndex);
    Predicate<DeploymentEntity> still =
        x ->
            x.currentStep == stepIndex
                && (x.state == DeploymentState.CANARY || x.state == DeploymentState.ROLLING);

    // Each phase that calls out may fail (a callee down); the step's conclusion still runs, so
    // that a failed bot rolls back and a deadline is noticed even while a callee is unreachable.
    Phases phases = new Phases();
    phases.run(() -> decide(snapshot, plan, batch, owner, still));
    phases.run(() -> drains.sendPauses(d.id, owner, still));
    phases.run(
        () ->
            drains.finishDrains(
                d,
                snapshot.bots(),
                owner,
                still,
                (locked, ready) -> markUpdating(locked, batch, ready, "updating")));
    phases.run(() -> sendUpdates(d.id, plan, stepIndex, batch, owner, still));
    phases.run(() -> confirm(d, batch, owner, still));
    phases.run(() -> drains.sendResumes(d.id, owner, still));
    phases.stopIfInterrupted();
    conclude(d.id, batch, owner, still);
    phases.rethrow();
  }

  /** Skips the batch's bots that cannot be updated now and starts the ones that may go. */
  private void decide(
      DeploymentLocks.Snapshot snapshot,
      RolloutPlan plan,
      int batch,
      String owner,
      Predicate<DeploymentEntity> still) {
    DeploymentEntity d = snapshot.deployment();
    List<DeploymentBotEntity> waiting =
        snapshot.bots().stream()
            .filter(b -> b.batch == batch && b.state == BotDeploymentState.WAITING)
            .filter(b -> b.updateRequestId == null && !b.pausedByDeployment)
            .toList();
    if (waiting.isEmpty()) {
      return;
    }
    Map<String, FleetBot> current = currentBots(d, waiting);
    Set<String> stateful = fleet.statefulGroups();
    int planned = (int) snapshot.bots().stream().filter(b -> b.batch >= 0).count();
    // Unless max_unavailable says otherwise, the whole batch may be in flight at once.
    int maxUnavailable = d.rolloutParameters().maxUnavailable();
    int maxInFlight =
        maxUnavailable > 0
            ? maxUnavailable
            : plan.updateSizes(planned).getOrDefault(d.currentStep, 1);
    locks.change(
        d.id,
        owner,
        still,
        locked -> {
          List<DeploymentBotEntity> bots = locks.bots(locked.id);
          long inFlight = bots.stream().filter(b -> b.state.inFlight()).count();
          List<DeploymentBotEntity> toUpdate = new ArrayList<>();
          List<DeploymentBotEntity> toDrain = new ArrayList<>();
          for (DeploymentBotEntity b : bots) {
            if (b.batch != batch
                || b.state != BotDeploymentState.WAITING
                || b.updateRequestId != null
                || b.pausedByDeployment) {
              continue;
            }
            FleetBot now = current.get(b.botId);
            String skip = skipReason(now, locked.version);
            if (skip != null) {
              b.state = BotDeploymentState.SKIPPED;
              b.message = skip;
              b.updatedAt = now();
              journal.progress(locked, "skipped " + b.botName + ": " + skip);
            } else if (inFlight < maxInFlight) {
              inFlight++;
              b.previousVersion = now.version();
              if (stateful.contains(now.group())) {
                b.state = BotDeploymentState.DRAINING;
                b.pausedByDeployment = true;
                b.updatedAt = now();
                toDrain.add(b);
              } else {
                toUpdate.add(b);
              }
            }
          }
          if (!toUpdate.isEmpty()) {
            markUpdating(locked, batch, toUpdate, label(batch));
          }
          if (!toDrain.isEmpty()) {
            journal.progress(locked, label(batch) + ": draining " + names(toDrain));
          }
        });
  }

  /** Records the decision to update these bots together (sent by {@link #sendUpdates}). */
  private void markUpdating(
      DeploymentEntity d, int batch, List<DeploymentBotEntity> bots, String what) {
    String key = CommandPayloads.updateKey(d, batch, bots.stream().map(b -> b.botId).toList());
    for (DeploymentBotEntity b : bots) {
      b.state = BotDeploymentState.UPDATING;
      b.updateRequestId = key;
      b.updatedAt = now();
    }
    journal.progress(d, what + ": update_version to " + names(bots));
  }

  /** Sends update_version for every decision whose command id is not recorded yet. */
  private void sendUpdates(
      String id,
      RolloutPlan plan,
      int stepIndex,
      int batch,
      String owner,
      Predicate<DeploymentEntity> still) {
    locks.change(
        id,
        owner,
        still,
        d -> {
          Map<String, List<DeploymentBotEntity>> unsent = new LinkedHashMap<>();
          for (DeploymentBotEntity b : locks.bots(id)) {
            if (b.state == BotDeploymentState.UPDATING && b.updateCommandId == null) {
              unsent.computeIfAbsent(b.updateRequestId, k -> new ArrayList<>()).add(b);
            }
          }
          unsent.forEach(
              (key, bots) -> {
                String commandId;
                try {
                  commandId =
                      fleet.sendCommand(
                          bots.stream().map(b -> b.botId).toList(),
                          CommandPayloads.UPDATE_VERSION,
                          CommandPayloads.update(d, plan, stepIndex, batch),
                          config.updateCommandTtl(),
                          key);
                } catch (BotfleetException e) {
                  if (!refused(e)) {
                    throw e;
                  }
                  // fleet-service refused the command itself: it reached no bot.
                  for (DeploymentBotEntity b : bots) {
                    b.state = BotDeploymentState.FAILED;
                    b.updateDelivery = io.botfleet.deploy.domain.DeliveryState.REJECTED;
                    b.message = "fleet-service refused update_version: " + e.getMessage();
                    b.updatedAt = now();
                  }
                  journal.progress(d, "fleet-service refused update_version to " + names(bots));
                  return;
                }
                for (DeploymentBotEntity b : bots) {
                  b.updateCommandId = commandId;
                  b.commandId = commandId;
                  b.updatedAt = now();
                }
                journal.progress(d, "sent update_version " + commandId + " to " + names(bots));
              });
        });
  }

  /** Reads acknowledgements and heartbeats; a bot is updated once it acked and then reported. */
  private void confirm(
      DeploymentEntity d, int batch, String owner, Predicate<DeploymentEntity> still) {
    List<DeploymentBotEntity> pending =
        locks.snapshot(d.id).orElseThrow().bots().stream()
            .filter(b -> b.state == BotDeploymentState.UPDATING && b.updateCommandId != null)
            .toList();
    if (pending.isEmpty()) {
      return;
    }
    Map<String, Delivery> deliveries = new HashMap<>();
    for (String commandId : pending.stream().map(b -> b.updateCommandId).distinct().toList()) {
      fleet.deliveries(commandId).forEach(x -> deliveries.put(commandId + "/" + x.botId(), x));
    }
    Map<String, BotHealth> healths = new HashMap<>();
    for (DeploymentBotEntity b : pending) {
      Delivery delivery = deliveries.get(b.updateCommandId + "/" + b.botId);
      if (b.ackedAt != null || (delivery != null && delivery.state().acknowledged())) {
        try {
          healths.put(b.botId, health.botHealth(b.botId));
        } catch (BotfleetException e) {
          Log.debugf("No health for %s yet: %s", b.botName, e.getMessage());
        }
      }
    }
    locks.change(
        d.id,
        owner,
        still,
        locked -> {
          for (DeploymentBotEntity b : locks.bots(locked.id)) {
            if (b.state != BotDeploymentState.UPDATING || b.updateCommandId == null) {
              continue;
            }
            Delivery delivery = deliveries.get(b.updateCommandId + "/" + b.botId);
            if (delivery != null && delivery.state() != b.updateDelivery) {
              b.updateDelivery = delivery.state();
            }
            if (delivery != null && delivery.state().unsuccessful()) {
              b.state = BotDeploymentState.FAILED;
              b.message =
                  "update_version "
                      + delivery.state().name().toLowerCase(Locale.ROOT)
                      + (delivery.message().isEmpty() ? "" : ": " + delivery.message());
              b.updatedAt = now();
              journal.progress(locked, b.botName + " " + b.message);
              continue;
            }
            if (b.ackedAt == null && delivery != null && delivery.state().acknowledged()) {
              Instant acked =
                  delivery.updateTime() != null ? delivery.updateTime() : clock.instant();
              b.ackedAt = acked.atOffset(ZoneOffset.UTC);
              b.updatedAt = now();
            }
            BotHealth h = healths.get(b.botId);
            if (b.ackedAt != null
                && h != null
                && h.reports(locked.version, b.ackedAt.toInstant())) {
              b.state = BotDeploymentState.UPDATED;
              b.confirmedAt = now();
              b.updatedAt = b.confirmedAt;
              journal.progress(locked, b.botName + " runs " + locked.version);
            }
          }
        });
  }

  /** Ends the step when its batch is through, rolls back on a failure, or applies the deadline. */
  private void conclude(String id, int batch, String owner, Predicate<DeploymentEntity> still) {
    locks.change(
        id,
        owner,
        still,
        d -> {
          List<DeploymentBotEntity> bots = locks.bots(id);
          List<DeploymentBotEntity> mine = bots.stream().filter(b -> b.batch == batch).toList();
          List<DeploymentBotEntity> failed =
              mine.stream().filter(b -> b.state == BotDeploymentState.FAILED).toList();
          if (!failed.isEmpty()) {
            transitions.startRollback(
                d,
                bots,
                failed.stream()
                    .map(b -> b.botName + " " + b.message)
                    .collect(Collectors.joining("; ")),
                io.botfleet.common.events.EventLog.SYSTEM);
            return;
          }
          boolean through =
              mine.stream()
                  .allMatch(
                      b ->
                          (b.state == BotDeploymentState.UPDATED
                                  || b.state == BotDeploymentState.SKIPPED)
                              && !b.owedResume());
          if (through) {
            long updated = mine.stream().filter(b -> b.state == BotDeploymentState.UPDATED).count();
            transitions.nextStep(d, label(batch) + " done: " + updated + " bot(s) updated");
            return;
          }
          OffsetDateTime lastProgress = d.stepStartedAt;
          for (DeploymentBotEntity b : mine) {
            if (b.updatedAt != null && b.updatedAt.isAfter(lastProgress)) {
              lastProgress = b.updatedAt;
            }
          }
          if (clock
              .instant()
              .isAfter(lastProgress.toInstant().plus(d.rolloutParameters().progressDeadline()))) {
            transitions.deadline(d, bots, waitingFor(mine, d.version));
          }
        });
  }

  private Map<String, FleetBot> currentBots(DeploymentEntity d, List<DeploymentBotEntity> bots) {
    Map<String, FleetBot> current = new HashMap<>();
    Set<String> groups = bots.stream().map(b -> b.botGroup).collect(Collectors.toSet());
    if (d.group != null && groups.equals(Set.of(d.group))) {
      fleet.listGroup(d.group).forEach(b -> current.put(b.id(), b));
    } else {
      bots.forEach(b -> fleet.findBot(b.botId).ifPresent(f -> current.put(f.id(), f)));
    }
    return current;
  }

  private static String skipReason(FleetBot bot, String version) {
    if (bot == null || bot.status().gone()) {
      return "no longer in the fleet";
    }
    if (bot.status() != BotStatus.ACTIVE) {
      return bot.status().name().toLowerCase(Locale.ROOT) + " when its batch came";
    }
    if (version.equals(bot.version())) {
      return "already runs " + version;
    }
    return null;
  }

  private static String waitingFor(List<DeploymentBotEntity> bots, String version) {
    List<String> parts = new ArrayList<>();
    for (DeploymentBotEntity b : bots) {
      if (b.state == BotDeploymentState.DRAINING) {
        parts.add(b.botName + " still draining");
      } else if (b.state == BotDeploymentState.UPDATING && b.ackedAt != null) {
        parts.add(b.botName + " acknowledged but never reported " + version);
      } else if (b.state == BotDeploymentState.UPDATING) {
        parts.add(b.botName + " has not acknowledged update_version");
      } else if (b.owedResume()) {
        parts.add(b.botName + " not resumed yet");
      }
    }
    return String.join("; ", parts);
  }

  /**
   * True if a callee refused a request for good (it is wrong, or not allowed), rather than "not
   * now": retrying it would only fail again.
   */
  static boolean refused(BotfleetException e) {
    return e.kind() != BotfleetException.Kind.UNAVAILABLE
        && e.kind() != BotfleetException.Kind.UNAUTHENTICATED;
  }

  static String label(int batch) {
    return batch == 0 ? "canary" : "batch " + batch;
  }

  static String names(List<DeploymentBotEntity> bots) {
    return bots.stream().map(b -> b.botName).collect(Collectors.joining(", "));
  }

  private OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC);
  }
}
