package io.botfleet.deploy.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.deploy.client.FleetClient;
import io.botfleet.deploy.client.HealthClient;
import io.botfleet.deploy.config.DeployConfig;
import io.botfleet.deploy.domain.AnalysisResult;
import io.botfleet.deploy.domain.BotDeploymentState;
import io.botfleet.deploy.domain.BotMetrics;
import io.botfleet.deploy.domain.CanaryChoice;
import io.botfleet.deploy.domain.DeploymentState;
import io.botfleet.deploy.domain.GateVerdict;
import io.botfleet.deploy.domain.HealthGate;
import io.botfleet.deploy.domain.RolloutStep;
import io.botfleet.deploy.persistence.DeploymentBotEntity;
import io.botfleet.deploy.persistence.DeploymentEntity;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An analysis step: watches every updated bot through the window (a bot that turns critical, dies
 * or reverts fails the gate at once), then compares their heartbeats over the window with the rest
 * of their group's. The outcome is recorded and acted on by {@link DeploymentTransitions#gate}.
 */
@ApplicationScoped
public class HealthGates {

  @Inject DeploymentLocks locks;
  @Inject FleetClient fleet;
  @Inject HealthClient health;
  @Inject DeploymentTransitions transitions;
  @Inject DeployConfig config;
  @Inject Clock clock;

  /** Advances the analysis step the deployment is at. */
  void advance(DeploymentLocks.Snapshot snapshot, RolloutStep.Analysis step, String owner) {
    DeploymentEntity d = snapshot.deployment();
    int stepIndex = d.currentStep;
    Predicate<DeploymentEntity> still =
        x ->
            x.currentStep == stepIndex
                && (x.state == DeploymentState.CANARY || x.state == DeploymentState.ROLLING);
    List<DeploymentBotEntity> subjects =
        snapshot.bots().stream().filter(b -> b.state == BotDeploymentState.UPDATED).toList();
    Optional<GateVerdict> verdict = judge(d, step, subjects);
    verdict.ifPresent(
        v -> locks.change(d.id, owner, still, x -> transitions.gate(x, locks.bots(x.id), v)));
  }

  private Optional<GateVerdict> judge(
      DeploymentEntity d, RolloutStep.Analysis step, List<DeploymentBotEntity> subjects) {
    if (subjects.isEmpty()) {
      return Optional.of(
          new GateVerdict(
              AnalysisResult.INCONCLUSIVE, List.of("no updated bot to analyse (all skipped)")));
    }
    List<String> failures = new ArrayList<>();
    for (DeploymentBotEntity b : subjects) {
      try {
        HealthGate.immediateFailure(b.botName, health.botHealth(b.botId), d.version)
            .ifPresent(failures::add);
      } catch (BotfleetException e) {
        Log.debugf("No health for %s this tick: %s", b.botName, e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      return Optional.of(new GateVerdict(AnalysisResult.FAILED, failures));
    }
    Instant start = d.stepStartedAt.toInstant();
    Instant end = start.plus(step.duration());
    Instant now = clock.instant();
    if (now.isBefore(end)) {
      return Optional.empty();
    }
    try {
      return Optional.of(compare(d, step, subjects, start, end));
    } catch (BotfleetException e) {
      if (now.isAfter(end.plus(config.analysisGrace()))) {
        return Optional.of(
            new GateVerdict(
                AnalysisResult.INCONCLUSIVE,
                List.of("no heartbeat history to judge by: " + e.getMessage())));
      }
      Log.debugf("Analysis of %s waits for health-service: %s", d.id, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The comparison: the updated bots' new-version heartbeats over the window against the active
   * bots of their groups still on another version over the same window; when there are none (every
   * bot updated), against the updated bots' own heartbeats over as long a window before the
   * deployment started.
   */
  private GateVerdict compare(
      DeploymentEntity d,
      RolloutStep.Analysis step,
      List<DeploymentBotEntity> subjects,
      Instant start,
      Instant end) {
    List<BotMetrics> updated = new ArrayList<>();
    for (DeploymentBotEntity b : subjects) {
      updated.add(
          BotMetrics.of(b.botId, b.botName, health.history(b.botId, start, end), d.version));
    }
    Set<String> ids = subjects.stream().map(b -> b.botId).collect(Collectors.toSet());
    List<BotMetrics> baseline = new ArrayList<>();
    for (String group : subjects.stream().map(b -> b.botGroup).distinct().toList()) {
      for (var bot : fleet.listGroup(group)) {
        if (CanaryChoice.eligible(bot)
            && !ids.contains(bot.id())
            && !d.version.equals(bot.version())) {
          baseline.add(
              BotMetrics.of(bot.id(), bot.name(), health.history(bot.id(), start, end), null));
        }
      }
    }
    String label = "group";
    if (baseline.stream().noneMatch(m -> m.samples() > 0)) {
      Instant before = d.startedAt.toInstant();
      baseline.clear();
      for (DeploymentBotEntity b : subjects) {
        baseline.add(
            BotMetrics.of(
                b.botId,
                b.botName,
                health.history(b.botId, before.minus(step.duration()), before),
                b.previousVersion));
      }
      label = "pre-deployment";
    }
    return HealthGate.evaluate(updated, baseline, label, step.margins(), d.version, start, end);
  }
}
