package io.botfleet.deploy.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A rollout plan: its steps (data, in the shape Argo Rollouts users know) and what follows from
 * them: how many bots each update step takes, which batch number each gets, and which state the
 * deployment is in at each step.
 *
 * @param steps the steps, resolved (every analysis has its duration and margins)
 */
public record RolloutPlan(List<RolloutStep> steps) {

  public RolloutPlan {
    steps = List.copyOf(steps);
  }

  /**
   * The default plan of a strategy for {@code bots} bots to update.
   *
   * <ul>
   *   <li>canary: update 1 (role canary), analyse over the bake time, then batches each followed by
   *       an analysis over the batch delay (the guide's flow);
   *   <li>rolling: batches each followed by an analysis over the batch delay;
   *   <li>all at once: update 100 %, then one analysis over the batch delay.
   * </ul>
   */
  public static RolloutPlan defaults(Strategy strategy, RolloutParameters parameters, int bots) {
    RolloutParameters p = parameters.withDefaults();
    List<RolloutStep> steps = new ArrayList<>();
    int remaining = bots;
    if (strategy == Strategy.CANARY) {
      steps.add(new RolloutStep.Update(1, 0, RolloutStep.CANARY));
      steps.add(new RolloutStep.Analysis(p.canaryBake(), p.margins()));
      remaining--;
    }
    if (strategy == Strategy.ALL_AT_ONCE) {
      steps.add(new RolloutStep.Update(0, 100, RolloutStep.ROLLING));
      steps.add(new RolloutStep.Analysis(p.batchDelay(), p.margins()));
      return new RolloutPlan(steps);
    }
    int batch = p.batchSizeFor(bots);
    while (remaining > 0) {
      int size = Math.min(batch, remaining);
      steps.add(new RolloutStep.Update(size, 0, RolloutStep.ROLLING));
      steps.add(new RolloutStep.Analysis(p.batchDelay(), p.margins()));
      remaining -= size;
    }
    return new RolloutPlan(steps);
  }

  /**
   * A custom plan with its gaps filled: an analysis without a duration observes for the bake time
   * after a canary step and for the batch delay otherwise; without margins it takes the
   * parameters'; an update without a role is a rolling one.
   */
  public static RolloutPlan custom(List<RolloutStep> steps, RolloutParameters parameters) {
    RolloutParameters p = parameters.withDefaults();
    List<RolloutStep> resolved = new ArrayList<>();
    boolean afterCanary = false;
    for (RolloutStep step : steps) {
      if (step instanceof RolloutStep.Update u) {
        String role = u.role() == null || u.role().isEmpty() ? RolloutStep.ROLLING : u.role();
        afterCanary = RolloutStep.CANARY.equals(role);
        resolved.add(new RolloutStep.Update(u.count(), u.percent(), role));
      } else if (step instanceof RolloutStep.Analysis a) {
        resolved.add(
            new RolloutStep.Analysis(
                a.duration() != null ? a.duration() : afterCanary ? p.canaryBake() : p.batchDelay(),
                a.margins() == null ? p.margins() : a.margins().orElse(p.margins())));
      } else {
        resolved.add(step);
      }
    }
    return new RolloutPlan(resolved);
  }

  /**
   * Why this plan cannot roll out to {@code bots} bots, if it cannot: it must update every one of
   * them, and canary steps must come before rolling ones.
   */
  public Optional<String> problem(int bots) {
    int total = 0;
    boolean rollingSeen = false;
    for (RolloutStep step : steps) {
      if (step instanceof RolloutStep.Update u) {
        if (u.canary() && rollingSeen) {
          return Optional.of("a canary update step cannot follow a rolling one");
        }
        rollingSeen |= !u.canary();
        total += u.size(bots);
      }
    }
    if (total < bots) {
      return Optional.of(
          "the update steps reach "
              + total
              + " of the "
              + bots
              + " bots; the plan must end with"
              + " every bot updated");
    }
    return Optional.empty();
  }

  /** How many bots each update step takes (by step index), the last ones capped to what is left. */
  public Map<Integer, Integer> updateSizes(int bots) {
    Map<Integer, Integer> sizes = new LinkedHashMap<>();
    int remaining = bots;
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i) instanceof RolloutStep.Update u) {
        int size = Math.min(u.size(bots), remaining);
        sizes.put(i, size);
        remaining -= size;
      }
    }
    return sizes;
  }

  /** Bots taken by the canary steps. */
  public int canaryCount(int bots) {
    int count = 0;
    for (Map.Entry<Integer, Integer> e : updateSizes(bots).entrySet()) {
      if (((RolloutStep.Update) steps.get(e.getKey())).canary()) {
        count += e.getValue();
      }
    }
    return count;
  }

  /**
   * The batch number of the update step at {@code stepIndex}: 0 for the canary (the guide's), then
   * 1, 2 … for the rolling batches; a plan without a canary starts at 1.
   */
  public int batchOf(int stepIndex) {
    int ordinal = 0;
    int first = -1;
    for (int i = 0; i <= stepIndex && i < steps.size(); i++) {
      if (steps.get(i) instanceof RolloutStep.Update u) {
        if (first < 0) {
          first = u.canary() ? 0 : 1;
          ordinal = first;
        } else {
          ordinal++;
        }
      }
    }
    return ordinal;
  }

  /**
   * Assigns bots to batches: {@code ordered} lists the bots to update in the order they go
   * (canaries first); each update step takes the next ones.
   *
   * @return bot id → batch number
   */
  public Map<String, Integer> assign(List<String> ordered) {
    Map<String, Integer> batches = new LinkedHashMap<>();
    int next = 0;
    for (Map.Entry<Integer, Integer> e : updateSizes(ordered.size()).entrySet()) {
      int batch = batchOf(e.getKey());
      for (int k = 0; k < e.getValue(); k++) {
        batches.put(ordered.get(next++), batch);
      }
    }
    return batches;
  }

  /** The state of a deployment at step {@code stepIndex}: CANARY until a rolling update starts. */
  public DeploymentState stateAt(int stepIndex) {
    for (int i = 0; i <= stepIndex && i < steps.size(); i++) {
      if (steps.get(i) instanceof RolloutStep.Update u && !u.canary()) {
        return DeploymentState.ROLLING;
      }
    }
    return DeploymentState.CANARY;
  }

  /** The step at an index, or empty past the end (the rollout is complete). */
  public Optional<RolloutStep> step(int index) {
    return index < steps.size() ? Optional.of(steps.get(index)) : Optional.empty();
  }
}
