package io.botfleet.deploy.service;

import io.botfleet.common.events.EventLog;
import io.botfleet.deploy.domain.DeploymentState;
import io.botfleet.deploy.domain.PauseCause;
import io.botfleet.deploy.domain.RolloutPlan;
import io.botfleet.deploy.domain.RolloutStep;
import io.botfleet.deploy.persistence.DeploymentEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Moves one deployment along its plan as far as it can go now, from what is stored (nothing is kept
 * in memory between calls, so any replica can pick up where another stopped): the current update,
 * pause or analysis step, the rollback, or, for an ended deployment, the resumes it still owes
 * drained bots. A paused deployment is left alone.
 */
@ApplicationScoped
public class RolloutEngine {

  @Inject DeploymentLocks locks;
  @Inject BotUpdates updates;
  @Inject BotDrains drains;
  @Inject HealthGates gates;
  @Inject Rollbacks rollbacks;
  @Inject DeploymentTransitions transitions;
  @Inject Clock clock;

  /** Advances a deployment that {@code owner} holds the lease of. */
  public void advance(String id, String owner) {
    Optional<DeploymentLocks.Snapshot> found = locks.snapshot(id);
    if (found.isEmpty() || !owner.equals(found.get().deployment().leaseOwner)) {
      return;
    }
    DeploymentLocks.Snapshot snapshot = found.get();
    DeploymentEntity d = snapshot.deployment();
    if (d.state.terminal()) {
      drains.sendResumes(id, owner, x -> x.state.terminal());
      return;
    }
    switch (d.state) {
      case PAUSED -> {
        // Nothing is sent until an operator resumes.
      }
      case ROLLING_BACK -> rollbacks.advance(d, owner);
      default -> step(snapshot, owner);
    }
  }

  private void step(DeploymentLocks.Snapshot snapshot, String owner) {
    DeploymentEntity d = snapshot.deployment();
    int stepIndex = d.currentStep;
    Predicate<DeploymentEntity> still =
        x ->
            x.currentStep == stepIndex
                && (x.state == DeploymentState.CANARY
                    || x.state == DeploymentState.ROLLING
                    || x.state == DeploymentState.PENDING);
    RolloutPlan plan = d.plan();
    Optional<RolloutStep> step = plan.step(stepIndex);
    if (step.isEmpty()) {
      locks.change(d.id, owner, still, x -> transitions.complete(x, locks.bots(x.id)));
    } else if (step.get() instanceof RolloutStep.Update) {
      updates.advance(snapshot, plan, owner);
    } else if (step.get() instanceof RolloutStep.Analysis analysis) {
      gates.advance(snapshot, analysis, owner);
    } else if (step.get() instanceof RolloutStep.Pause pause) {
      if (pause.duration() == null) {
        locks.change(
            d.id,
            owner,
            still,
            x ->
                transitions.pause(
                    x,
                    PauseCause.PROMOTION,
                    "waiting for an operator to promote (ResumeDeployment) at step " + stepIndex,
                    EventLog.SYSTEM));
      } else if (!clock.instant().isBefore(d.stepStartedAt.toInstant().plus(pause.duration()))) {
        locks.change(
            d.id,
            owner,
            still,
            x ->
                transitions.nextStep(
                    x,
                    "pause of "
                        + pause.duration().toMillis()
                        + " ms at step "
                        + stepIndex
                        + " over"));
      }
    }
  }
}
