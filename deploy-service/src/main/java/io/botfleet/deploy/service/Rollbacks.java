package io.botfleet.deploy.service;

import io.botfleet.deploy.domain.BotDeploymentState;
import io.botfleet.deploy.domain.DeploymentState;
import io.botfleet.deploy.persistence.DeploymentBotEntity;
import io.botfleet.deploy.persistence.DeploymentEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A rollback: rollback_version to every bot that may run the new version, naming the version it ran
 * before (one command per previous version); a bot counts as rolled back once it acknowledged and
 * then heartbeated its previous version. Drained bots are resumed once back. A refused rollback, or
 * one not confirmed within the progress deadline, leaves the deployment FAILED for a human.
 */
@ApplicationScoped
public class Rollbacks {

  @Inject DeploymentLocks locks;
  @Inject CommandLegs legs;
  @Inject BotDrains drains;
  @Inject DeploymentTransitions transitions;
  @Inject Clock clock;

  private static final Predicate<DeploymentEntity> STILL =
      d -> d.state == DeploymentState.ROLLING_BACK;

  /** Advances the rollback as far as it can go now. */
  void advance(DeploymentEntity snapshot, String owner) {
    Phases phases = new Phases();
    phases.run(
        () ->
            legs.send(
                CommandLeg.ROLLBACK,
                snapshot.id,
                owner,
                STILL,
                (d, bots) -> CommandPayloads.rollback(d, bots.get(0))));
    phases.run(() -> legs.confirm(CommandLeg.ROLLBACK, snapshot.id, owner, STILL));
    phases.run(() -> drains.sendResumes(snapshot.id, owner, STILL));
    phases.stopIfInterrupted();
    conclude(snapshot.id, owner);
    phases.rethrow();
  }

  private void conclude(String id, String owner) {
    locks.change(
        id,
        owner,
        STILL,
        d -> {
          List<DeploymentBotEntity> bots = locks.bots(id);
          List<DeploymentBotEntity> refused =
              bots.stream()
                  .filter(b -> b.state == BotDeploymentState.FAILED && b.rollbackDelivery != null)
                  .toList();
          List<DeploymentBotEntity> open =
              bots.stream().filter(b -> b.state == BotDeploymentState.ROLLING_BACK).toList();
          boolean resumesOwed = bots.stream().anyMatch(DeploymentBotEntity::owedResume);
          if (open.isEmpty() && !refused.isEmpty()) {
            transitions.fail(d, "rollback failed: " + describe(refused));
          } else if (open.isEmpty() && !resumesOwed) {
            transitions.rolledBack(d, bots);
          } else {
            OffsetDateTime lastProgress = d.stepStartedAt;
            for (DeploymentBotEntity b : bots) {
              if (b.updatedAt != null && b.updatedAt.isAfter(lastProgress)) {
                lastProgress = b.updatedAt;
              }
            }
            java.time.Duration deadline = d.rolloutParameters().progressDeadline();
            if (clock.instant().isAfter(lastProgress.toInstant().plus(deadline))) {
              List<String> parts = new ArrayList<>();
              open.forEach(
                  b ->
                      parts.add(
                          b.botName
                              + (b.rollbackAckedAt == null
                                  ? " never acknowledged rollback_version"
                                  : " never reported " + b.previousVersion + " again")));
              refused.forEach(b -> parts.add(b.botName + " " + b.message));
              transitions.fail(
                  d,
                  "rollback not confirmed within "
                      + deadline.toSeconds()
                      + " s: "
                      + String.join("; ", parts));
            }
          }
        });
  }

  private static String describe(List<DeploymentBotEntity> bots) {
    return bots.stream().map(b -> b.botName + " " + b.message).collect(Collectors.joining("; "));
  }
}
