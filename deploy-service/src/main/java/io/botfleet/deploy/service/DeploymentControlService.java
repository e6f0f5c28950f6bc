package io.botfleet.deploy.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.deploy.domain.DeploymentState;
import io.botfleet.deploy.domain.PauseCause;
import io.botfleet.deploy.domain.RolloutStep;
import io.botfleet.deploy.persistence.DeploymentBotEntity;
import io.botfleet.deploy.persistence.DeploymentEntity;
import io.botfleet.deploy.persistence.DeploymentRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The operators' controls: pause, resume (or promote), abort, roll back. Each runs under the
 * deployment's row lock, like every step of the engine, so it never interleaves with a send.
 * Repeating a control that already took effect is not an error (pausing a paused deployment).
 */
@ApplicationScoped
public class DeploymentControlService {

  private static final Set<DeploymentState> RUNNING =
      Set.of(DeploymentState.PENDING, DeploymentState.CANARY, DeploymentState.ROLLING);

  @Inject DeploymentRepository deployments;
  @Inject DeploymentLocks locks;
  @Inject DeploymentTransitions transitions;
  @Inject DeploymentCreation creation;
  @Inject Clock clock;

  /** Pauses a running deployment: nothing more is sent until it is resumed. */
  public void pause(String id, String reason, String actor) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              DeploymentEntity d = lock(id);
              if (d.state == DeploymentState.PAUSED) {
                return;
              }
              if (!RUNNING.contains(d.state)) {
                throw notRunning(d, "paused");
              }
              transitions.pause(
                  d, PauseCause.OPERATOR, reason.isEmpty() ? "paused by " + actor : reason, actor);
            });
  }

  /**
   * Resumes a paused deployment (continuing its step, or past it when it waited for promotion or a
   * human verdict on an inconclusive analysis), or promotes a running one past a timed pause step.
   */
  public void resume(String id, String actor) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              DeploymentEntity d = lock(id);
              if (d.state == DeploymentState.PAUSED) {
                transitions.resume(d, actor);
              } else if (RUNNING.contains(d.state)
                  && d.plan().step(d.currentStep).orElse(null) instanceof RolloutStep.Pause) {
                transitions.promote(d, actor);
              } else {
                throw BotfleetException.failedPrecondition(
                    "DEPLOYMENT_NOT_PAUSED",
                    "deployment " + id + " is " + d.state + ", not paused nor at a pause step",
                    Map.of("deployment_id", id, "state", d.state.name()));
              }
            });
  }

  /** Aborts: stops where it is; updated bots keep the new version, drained bots are resumed. */
  public void abort(String id, String reason, String actor) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              DeploymentEntity d = lock(id);
              if (d.state == DeploymentState.ABORTED) {
                return;
              }
              if (!RUNNING.contains(d.state) && d.state != DeploymentState.PAUSED) {
                throw notRunning(d, "aborted");
              }
              transitions.abort(d, locks.bots(id), reason, actor);
            });
  }

  /**
   * Rolls back every bot the deployment updated. A running or paused deployment rolls back at once;
   * a completed one while its previous artifacts are kept, an aborted one too, provided no other
   * deployment is active on its bots meanwhile.
   */
  public void rollback(String id, String reason, String actor) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              DeploymentEntity d = lock(id);
              if (d.state == DeploymentState.ROLLING_BACK) {
                return;
              }
              if (d.state == DeploymentState.COMPLETE || d.state == DeploymentState.ABORTED) {
                reopenable(d);
              } else if (!RUNNING.contains(d.state) && d.state != DeploymentState.PAUSED) {
                throw notRunning(d, "rolled back");
              }
              transitions.startRollback(
                  d, locks.bots(id), "rolled back by " + actor + ": " + reason, actor);
            });
  }

  private void reopenable(DeploymentEntity d) {
    if (d.retainPreviousUntil != null
        && clock.instant().isAfter(d.retainPreviousUntil.toInstant())) {
      throw BotfleetException.failedPrecondition(
          "PREVIOUS_VERSION_EXPIRED",
          "the previous versions' artifacts of "
              + d.id
              + " were kept until "
              + d.retainPreviousUntil.toInstant()
              + "; deploy the old version as a new deployment instead",
          Map.of("deployment_id", d.id));
    }
    creation.lockCreations();
    List<DeploymentBotEntity> bots = locks.bots(d.id);
    Set<String> groups =
        bots.stream().map(b -> b.botGroup).collect(Collectors.toCollection(TreeSet::new));
    List<String> conflicts =
        deployments.conflicting(groups, bots.stream().map(b -> b.botId).toList()).stream()
            .filter(other -> !other.equals(d.id))
            .toList();
    if (!conflicts.isEmpty()) {
      throw BotfleetException.failedPrecondition(
          "DEPLOYMENT_IN_PROGRESS",
          "deployment " + conflicts.get(0) + " is active on the same bots; end it first",
          Map.of("deployment_id", conflicts.get(0)));
    }
  }

  private DeploymentEntity lock(String id) {
    return deployments
        .lock(id)
        .orElseThrow(
            () ->
                BotfleetException.notFound(
                    "DEPLOYMENT_NOT_FOUND", "no deployment " + id, Map.of("deployment_id", id)));
  }

  private static BotfleetException notRunning(DeploymentEntity d, String what) {
    return BotfleetException.failedPrecondition(
        d.state == DeploymentState.ROLLING_BACK ? "DEPLOYMENT_ROLLING_BACK" : "DEPLOYMENT_ENDED",
        "deployment " + d.id + " is " + d.state + " and cannot be " + what,
        Map.of("deployment_id", d.id, "state", d.state.name()));
  }
}
