package io.botfleet.deploy.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.deploy.client.FleetClient;
import io.botfleet.deploy.domain.BotDeploymentState;
import io.botfleet.deploy.domain.BotStatus;
import io.botfleet.deploy.domain.DeploymentState;
import io.botfleet.deploy.domain.FleetBot;
import io.botfleet.deploy.domain.RolloutPlan;
import io.botfleet.deploy.persistence.DeploymentBotEntity;
import io.botfleet.deploy.persistence.DeploymentEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
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
  @Inject BotDrains drains;
  @Inject UpdateCommands commands;
  @Inject DeploymentTransitions transitions;
  @Inject DeploymentJournal journal;
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
                (locked, ready) -> commands.markUpdating(locked, batch, ready, "updating")));
    phases.run(() -> commands.send(d.id, plan, stepIndex, batch, owner, still));
    phases.run(() -> commands.confirm(d, owner, still));
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
            commands.markUpdating(locked, batch, toUpdate, label(batch));
          }
          if (!toDrain.isEmpty()) {
            journal.progress(locked, label(batch) + ": draining " + names(toDrain));
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
