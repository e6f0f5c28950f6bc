package io.botfleet.deploy.grpc;

import com.google.protobuf.Duration;
import io.botfleet.common.error.Violations;
import io.botfleet.common.v1.BotIds;
import io.botfleet.common.v1.Scope;
import io.botfleet.deploy.domain.DeploymentRequest;
import io.botfleet.deploy.domain.GateMargins;
import io.botfleet.deploy.domain.RolloutParameters;
import io.botfleet.deploy.domain.RolloutPlan;
import io.botfleet.deploy.domain.RolloutStep;
import io.botfleet.deploy.domain.Selector;
import io.botfleet.deploy.domain.Strategy;
import io.botfleet.deploy.v1.AnalysisStep;
import io.botfleet.deploy.v1.CreateDeploymentRequest;
import io.botfleet.deploy.v1.PauseStep;
import io.botfleet.deploy.v1.RolloutParameters.Builder;
import io.botfleet.deploy.v1.UpdateStep;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Translates a deployment's selector, parameters and plan between deploy.v1 and the domain, and
 * checks a CreateDeploymentRequest, naming every field at fault at once.
 */
final class RolloutMapper {

  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
  private static final Pattern GROUP = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final java.time.Duration LONG_WAIT = java.time.Duration.ofDays(7);
  private static final java.time.Duration DAY = java.time.Duration.ofDays(1);

  private RolloutMapper() {}

  /** The request as the domain takes it; INVALID_ARGUMENT naming every bad field. */
  static DeploymentRequest toDomain(CreateDeploymentRequest r, String requestedBy) {
    Violations v = new Violations();
    v.require(
        VERSION.matcher(r.getVersion()).matches(),
        "version",
        "required: 1 to 64 of [A-Za-z0-9._+-], starting with a letter or digit");
    v.require(
        !r.getArtifactRef().isBlank()
            && r.getArtifactRef().length() <= 1024
            && r.getArtifactRef().chars().noneMatch(Character::isWhitespace),
        "artifact_ref",
        "required: where the bots fetch the version, up to 1024 characters, no spaces");
    v.require(
        !r.getRequestId().isBlank() && r.getRequestId().length() <= 128,
        "request_id",
        "required: an idempotency key of up to 128 characters");
    Selector selector = selector(r, v);
    Strategy strategy = strategy(r.getStrategy(), v);
    RolloutParameters parameters = parameters(r.getParameters(), v);
    List<RolloutStep> steps = new ArrayList<>();
    for (int i = 0; i < r.getStepsCount(); i++) {
      RolloutStep step = step(r.getSteps(i), "steps[" + i + "]", v);
      if (step != null) {
        steps.add(step);
      }
    }
    v.throwIfAny();
    return new DeploymentRequest(
        r.getVersion(),
        r.getArtifactRef(),
        selector,
        strategy,
        parameters,
        steps,
        r.getRequestId(),
        requestedBy);
  }

  private static Selector selector(CreateDeploymentRequest r, Violations v) {
    Scope scope = r.getSelector().getScope();
    switch (scope.getTargetCase()) {
      case GROUP -> {
        v.require(
            GROUP.matcher(scope.getGroup()).matches(),
            "selector.scope.group",
            "must be a group name: 1 to 64 of [a-z0-9._-]");
        return Selector.group(scope.getGroup());
      }
      case BOTS -> {
        List<String> ids = scope.getBots().getBotIdsList();
        v.require(
            !ids.isEmpty() && ids.size() <= 10_000,
            "selector.scope.bots.bot_ids",
            "must list 1 to 10,000 bot ids");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
          v.require(!ids.get(i).isBlank(), "selector.scope.bots.bot_ids[" + i + "]", "is empty");
          v.require(
              seen.add(ids.get(i)),
              "selector.scope.bots.bot_ids[" + i + "]",
              "repeats " + ids.get(i));
        }
        return Selector.bots(ids);
      }
      case FLEET ->
          v.add(
              "selector.scope",
              "a deployment targets a group or chosen bots, never the whole fleet");
      default -> v.add("selector.scope", "required: a group or chosen bots");
    }
    return null;
  }

  private static Strategy strategy(io.botfleet.deploy.v1.Strategy s, Violations v) {
    return switch (s) {
      case STRATEGY_UNSPECIFIED, STRATEGY_CANARY -> Strategy.CANARY;
      case STRATEGY_ROLLING -> Strategy.ROLLING;
      case STRATEGY_ALL_AT_ONCE -> Strategy.ALL_AT_ONCE;
      default -> {
        v.add("strategy", "unknown strategy " + s.getNumber());
        yield Strategy.CANARY;
      }
    };
  }

  private static RolloutParameters parameters(
      io.botfleet.deploy.v1.RolloutParameters p, Violations v) {
    String f = "parameters.";
    v.require(
        p.getBatchSize() >= 0 && p.getBatchSize() <= 10_000,
        f + "batch_size",
        "must be 0 (default 2) to 10,000");
    v.require(
        p.getBatchPercent() >= 0 && p.getBatchPercent() <= 100,
        f + "batch_percent",
        "must be 0 (use batch_size) to 100");
    v.require(
        p.getMaxUnavailable() >= 0 && p.getMaxUnavailable() <= 10_000,
        f + "max_unavailable",
        "must be 0 (default: the batch size) to 10,000");
    return new RolloutParameters(
        duration(p.hasCanaryBake(), p.getCanaryBake(), f + "canary_bake", LONG_WAIT, v),
        p.getBatchSize(),
        p.getBatchPercent(),
        duration(p.hasBatchDelay(), p.getBatchDelay(), f + "batch_delay", DAY, v),
        p.getMaxUnavailable(),
        duration(p.hasProgressDeadline(), p.getProgressDeadline(), f + "progress_deadline", DAY, v),
        p.getAbortOnDeadline(),
        p.hasMargins() ? margins(p.getMargins(), f + "margins", v) : null,
        duration(p.hasDrainTimeout(), p.getDrainTimeout(), f + "drain_timeout", DAY, v));
  }

  private static RolloutStep step(io.botfleet.deploy.v1.RolloutStep s, String f, Violations v) {
    switch (s.getStepCase()) {
      case UPDATE -> {
        UpdateStep u = s.getUpdate();
        String role = u.getRole();
        v.require(
            role.isEmpty() || role.equals(RolloutStep.CANARY) || role.equals(RolloutStep.ROLLING),
            f + ".update.role",
            "must be \"canary\", \"rolling\" or empty (rolling)");
        switch (u.getAmountCase()) {
          case COUNT ->
              v.require(
                  u.getCount() > 0 && u.getCount() <= 10_000,
                  f + ".update.count",
                  "must be 1 to 10,000");
          case PERCENT ->
              v.require(
                  u.getPercent() > 0 && u.getPercent() <= 100,
                  f + ".update.percent",
                  "must be 1 to 100");
          default -> v.add(f + ".update", "needs a count or a percent");
        }
        return new RolloutStep.Update(Math.max(0, u.getCount()), Math.max(0, u.getPercent()), role);
      }
      case PAUSE -> {
        PauseStep p = s.getPause();
        return new RolloutStep.Pause(
            duration(p.hasDuration(), p.getDuration(), f + ".pause.duration", LONG_WAIT, v));
      }
      case ANALYSIS -> {
        AnalysisStep a = s.getAnalysis();
        return new RolloutStep.Analysis(
            duration(a.hasDuration(), a.getDuration(), f + ".analysis.duration", LONG_WAIT, v),
            a.hasMargins() ? margins(a.getMargins(), f + ".analysis.margins", v) : null);
      }
      default -> {
        v.add(f, "needs one of update, pause, analysis");
        return null;
      }
    }
  }

  private static GateMargins margins(io.botfleet.deploy.v1.GateMargins m, String f, Violations v) {
    check(m.getErrorCountMargin(), f + ".error_count_margin", v);
    check(m.getLatencyMarginPct(), f + ".latency_margin_pct", v);
    check(m.getDrawdownMarginPct(), f + ".drawdown_margin_pct", v);
    return new GateMargins(
        m.getErrorCountMargin(), m.getLatencyMarginPct(), m.getDrawdownMarginPct());
  }

  private static void check(double value, String field, Violations v) {
    v.require(
        Double.isFinite(value) && value >= 0 && value <= 1_000_000,
        field,
        "must be a finite number from 0 (default) to 1,000,000");
  }

  /** A set duration must be positive and at most {@code max}; unset gives null (the default). */
  private static java.time.Duration duration(
      boolean set, Duration d, String field, java.time.Duration max, Violations v) {
    if (!set) {
      return null;
    }
    java.time.Duration value = java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos());
    boolean ok =
        d.getNanos() >= 0
            && d.getNanos() < 1_000_000_000
            && value.toMillis() > 0
            && value.compareTo(max) <= 0;
    v.require(ok, field, "must be at least 1 ms and at most " + max.toHours() + " h");
    return ok ? value : null;
  }

  static Scope toProto(Selector s) {
    return s.isGroup()
        ? Scope.newBuilder().setGroup(s.group()).build()
        : Scope.newBuilder().setBots(BotIds.newBuilder().addAllBotIds(s.botIds())).build();
  }

  static io.botfleet.deploy.v1.RolloutParameters toProto(RolloutParameters p) {
    Builder b =
        io.botfleet.deploy.v1.RolloutParameters.newBuilder()
            .setCanaryBake(toProto(p.canaryBake()))
            .setBatchSize(p.batchSize())
            .setBatchPercent(p.batchPercent())
            .setBatchDelay(toProto(p.batchDelay()))
            .setMaxUnavailable(p.maxUnavailable())
            .setProgressDeadline(toProto(p.progressDeadline()))
            .setAbortOnDeadline(p.abortOnDeadline())
            .setMargins(toProto(p.margins()))
            .setDrainTimeout(toProto(p.drainTimeout()));
    return b.build();
  }

  static List<io.botfleet.deploy.v1.RolloutStep> toProto(RolloutPlan plan) {
    List<io.botfleet.deploy.v1.RolloutStep> steps = new ArrayList<>();
    for (RolloutStep step : plan.steps()) {
      io.botfleet.deploy.v1.RolloutStep.Builder b = io.botfleet.deploy.v1.RolloutStep.newBuilder();
      if (step instanceof RolloutStep.Update u) {
        UpdateStep.Builder update = UpdateStep.newBuilder().setRole(u.role());
        if (u.count() > 0) {
          update.setCount(u.count());
        } else {
          update.setPercent(u.percent());
        }
        b.setUpdate(update);
      } else if (step instanceof RolloutStep.Pause p) {
        PauseStep.Builder pause = PauseStep.newBuilder();
        if (p.duration() != null) {
          pause.setDuration(toProto(p.duration()));
        }
        b.setPause(pause);
      } else if (step instanceof RolloutStep.Analysis a) {
        b.setAnalysis(
            AnalysisStep.newBuilder()
                .setDuration(toProto(a.duration()))
                .setMargins(toProto(a.margins())));
      }
      steps.add(b.build());
    }
    return steps;
  }

  private static io.botfleet.deploy.v1.GateMargins toProto(GateMargins m) {
    return io.botfleet.deploy.v1.GateMargins.newBuilder()
        .setErrorCountMargin(m.errorCount())
        .setLatencyMarginPct(m.latencyPct())
        .setDrawdownMarginPct(m.drawdownPct())
        .build();
  }

  private static Duration toProto(java.time.Duration d) {
    return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }
}
