package io.botfleet.deploy.service;

import io.botfleet.common.events.EventLog;
import io.botfleet.deploy.config.DeployConfig;
import io.botfleet.deploy.domain.AnalysisResult;
import io.botfleet.deploy.domain.BotDeploymentState;
import io.botfleet.deploy.domain.DeploymentState;
import io.botfleet.deploy.domain.GateVerdict;
import io.botfleet.deploy.domain.PauseCause;
import io.botfleet.deploy.greenhelix.DeploymentEvents;
import io.botfleet.deploy.persistence.DeploymentBotEntity;
import io.botfleet.deploy.persistence.DeploymentEntity;
import io.botfleet.deploy.persistence.DeploymentGateEntity;
import io.botfleet.deploy.persistence.DeploymentGateRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The state changes of a deployment, each with its progress line and event. Called inside a
 * transaction holding the deployment's row lock ({@link DeploymentLocks#change}).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class DeploymentTransitions {

  @Inject DeploymentJournal journal;
  @Inject DeploymentGateRepository gates;
  @Inject DeployConfig config;
  @Inject Clock clock;

  /** The current step is done: on to the next (its clock starts now). */
  public void nextStep(DeploymentEntity d, String message) {
    d.currentStep++;
    d.stepStartedAt = now();
    d.state = d.plan().stateAt(d.currentStep);
    journal.progress(d, message);
  }

  /** Pauses: nothing is sent until an operator resumes. */
  public void pause(DeploymentEntity d, PauseCause cause, String reason, String actor) {
    d.pausedFrom = d.state;
    d.state = DeploymentState.PAUSED;
    d.pauseCause = cause;
    d.reason = reason;
    journal.event(
        d,
        DeploymentEvents.PAUSED,
        actor,
        "paused (" + cause.name().toLowerCase(Locale.ROOT) + "): " + reason,
        fields(
            "reason",
            reason,
            "cause",
            cause.name().toLowerCase(Locale.ROOT),
            "step",
            d.currentStep));
  }

  /**
   * Resumes a paused deployment where it was (with a fresh clock for the step), or past the step
   * when the pause was an inconclusive analysis or a wait for promotion.
   */
  public void resume(DeploymentEntity d, String actor) {
    boolean promote = d.pauseCause != null && d.pauseCause.resumePromotes();
    d.state = d.pausedFrom == null ? d.plan().stateAt(d.currentStep) : d.pausedFrom;
    d.pausedFrom = null;
    d.pauseCause = null;
    d.reason = null;
    d.stepStartedAt = now();
    if (promote) {
      d.currentStep++;
      d.state = d.plan().stateAt(d.currentStep);
    }
    journal.event(
        d,
        DeploymentEvents.RESUMED,
        actor,
        promote ? "promoted by " + actor + " to step " + d.currentStep : "resumed by " + actor,
        fields("step", d.currentStep, "promoted", promote));
  }

  /** Promotes past a timed pause step before its time. */
  public void promote(DeploymentEntity d, String actor) {
    d.currentStep++;
    d.stepStartedAt = now();
    d.state = d.plan().stateAt(d.currentStep);
    journal.event(
        d,
        DeploymentEvents.RESUMED,
        actor,
        "promoted by " + actor + " to step " + d.currentStep,
        fields("step", d.currentStep, "promoted", true));
  }

  /**
   * Starts rolling back: every bot that may run the new version gets rollback_version (decided
   * here, sent by the engine); a bot still draining is left unchanged (and resumed). From here on
   * no update_version is sent.
   */
  public void startRollback(
      DeploymentEntity d, List<DeploymentBotEntity> bots, String reason, String actor) {
    OffsetDateTime now = now();
    int count = 0;
    for (DeploymentBotEntity b : bots) {
      boolean touched =
          b.state == BotDeploymentState.UPDATING
              || b.state == BotDeploymentState.UPDATED
              || b.state == BotDeploymentState.FAILED;
      if (touched && b.mayRunNewVersion()) {
        b.state = BotDeploymentState.ROLLING_BACK;
        b.rollbackRequestId = d.id + ":rollback:" + b.previousVersion;
        b.message = "rolling back to " + b.previousVersion;
        b.updatedAt = now;
        count++;
      } else if (b.state == BotDeploymentState.DRAINING) {
        b.state = BotDeploymentState.WAITING;
        b.pausedByDeployment = b.drainCommandId != null;
        b.message = "not updated: the deployment is rolling back";
        b.updatedAt = now;
      }
    }
    d.state = DeploymentState.ROLLING_BACK;
    d.pausedFrom = null;
    d.pauseCause = null;
    d.reason = reason;
    d.stepStartedAt = now;
    d.endedAt = null;
    journal.event(
        d,
        DeploymentEvents.ROLLBACK_STARTED,
        actor,
        "rolling back " + count + " bot(s): " + reason,
        fields("reason", reason, "bots", count));
  }

  /** Every rolled-back bot heartbeats its previous version again. The guide's event. */
  public void rolledBack(DeploymentEntity d, List<DeploymentBotEntity> bots) {
    List<String> names =
        bots.stream()
            .filter(b -> b.state == BotDeploymentState.ROLLED_BACK)
            .map(b -> b.botName)
            .toList();
    d.state = DeploymentState.ROLLED_BACK;
    d.endedAt = now();
    journal.event(
        d,
        DeploymentEvents.ROLLED_BACK,
        EventLog.SYSTEM,
        "rolled back: " + (names.isEmpty() ? "no bot needed it" : String.join(", ", names)),
        fields("bots_rolled_back", names.size(), "bot_names", names, "reason", text(d.reason)));
  }

  /** Every bot of the plan is updated (or skipped). The guide's event. */
  public void complete(DeploymentEntity d, List<DeploymentBotEntity> bots) {
    List<String> deployed =
        bots.stream()
            .filter(b -> b.state == BotDeploymentState.UPDATED)
            .map(b -> b.botName)
            .toList();
    List<String> skipped =
        bots.stream()
            .filter(b -> b.state == BotDeploymentState.SKIPPED)
            .map(b -> b.botName)
            .toList();
    d.state = DeploymentState.COMPLETE;
    d.endedAt = now();
    d.retainPreviousUntil = d.endedAt.plus(config.retainPrevious());
    journal.event(
        d,
        DeploymentEvents.COMPLETE,
        EventLog.SYSTEM,
        "complete: "
            + deployed.size()
            + " bot(s) run "
            + d.version
            + (skipped.isEmpty() ? "" : "; skipped " + String.join(", ", skipped))
            + "; previous artifacts kept until "
            + d.retainPreviousUntil.truncatedTo(ChronoUnit.SECONDS),
        fields(
            "bots_deployed",
            deployed.size(),
            "bot_names",
            deployed,
            "bots_skipped",
            skipped,
            "retain_previous_until",
            d.retainPreviousUntil.toInstant().toString()));
  }

  /** Stops where it is: updated bots keep the new version; drained bots are resumed. */
  public void abort(
      DeploymentEntity d, List<DeploymentBotEntity> bots, String reason, String actor) {
    for (DeploymentBotEntity b : bots) {
      if (b.state == BotDeploymentState.DRAINING) {
        b.state = BotDeploymentState.WAITING;
        b.pausedByDeployment = b.drainCommandId != null;
        b.message = "not updated: the deployment was aborted";
        b.updatedAt = now();
      } else if (b.state == BotDeploymentState.UPDATING && b.pausedByDeployment) {
        // Its update is in flight: whether it will run is unknown, so it is not resumed blindly.
        b.message = "stays paused: its update was in flight when the deployment was aborted";
        b.updatedAt = now();
      }
    }
    long updated = bots.stream().filter(b -> b.state == BotDeploymentState.UPDATED).count();
    d.state = DeploymentState.ABORTED;
    d.pausedFrom = null;
    d.pauseCause = null;
    d.reason = reason;
    d.endedAt = now();
    journal.event(
        d,
        DeploymentEvents.ABORTED,
        actor,
        "aborted: " + reason,
        fields("reason", reason, "bots_updated", updated));
  }

  /** Cannot go on nor roll back cleanly: a human must look. */
  public void fail(DeploymentEntity d, String reason) {
    d.state = DeploymentState.FAILED;
    d.reason = reason;
    d.endedAt = now();
    journal.event(
        d, DeploymentEvents.FAILED, EventLog.SYSTEM, "failed: " + reason, fields("reason", reason));
  }

  /** A step made no progress for the progress deadline: pause, or abort if asked. */
  public void deadline(DeploymentEntity d, List<DeploymentBotEntity> bots, String what) {
    String reason =
        "progress deadline ("
            + d.rolloutParameters().progressDeadline().toSeconds()
            + " s) missed at step "
            + d.currentStep
            + ": "
            + what;
    if (d.rolloutParameters().abortOnDeadline()) {
      abort(d, bots, reason, EventLog.SYSTEM);
    } else {
      pause(d, PauseCause.DEADLINE, reason, EventLog.SYSTEM);
    }
  }

  /** Records an analysis and acts on it: continue, roll back, or pause for a human. */
  public void gate(DeploymentEntity d, List<DeploymentBotEntity> bots, GateVerdict verdict) {
    DeploymentGateEntity gate = new DeploymentGateEntity();
    gate.deploymentId = d.id;
    gate.step = d.currentStep;
    gate.decidedAt = now();
    gate.result = verdict.result();
    gate.reasons = verdict.reasons().toArray(String[]::new);
    gates.persist(gate);
    String why = String.join("; ", verdict.reasons());
    if (verdict.result() == AnalysisResult.SUCCESSFUL) {
      nextStep(d, "analysis of step " + gate.step + " passed: " + why);
    } else if (verdict.result() == AnalysisResult.INCONCLUSIVE) {
      pause(d, PauseCause.INCONCLUSIVE, "analysis inconclusive: " + why, EventLog.SYSTEM);
    } else {
      journal.event(
          d,
          DeploymentEvents.GATE_FAILED,
          EventLog.SYSTEM,
          "analysis of step " + gate.step + " failed: " + why,
          fields("step", gate.step, "reasons", verdict.reasons()));
      startRollback(d, bots, "health gate failed: " + why, EventLog.SYSTEM);
    }
  }

  private OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC);
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }

  static Map<String, Object> fields(Object... keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }
}
