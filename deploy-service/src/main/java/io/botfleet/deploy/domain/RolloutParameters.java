package io.botfleet.deploy.domain;

import java.time.Duration;

/**
 * Parameters of a rollout, every value resolved (see {@link #withDefaults}).
 *
 * @param canaryBake how long the canary is observed (default 30 minutes)
 * @param batchSize bots per batch (default 2)
 * @param batchPercent or this percentage of the selected bots per batch (0: use batchSize)
 * @param batchDelay wait and analysis after each batch (default 60 s)
 * @param maxUnavailable most bots updating (or draining) at once (0: a whole batch at once)
 * @param progressDeadline longest an update step (or a rollback) may take (default 600 s)
 * @param abortOnDeadline abort rather than pause when it is missed
 * @param margins the health gate's margins
 * @param drainTimeout stateful groups: longest wait for open_orders to reach 0 (default 300 s)
 */
public record RolloutParameters(
    Duration canaryBake,
    int batchSize,
    int batchPercent,
    Duration batchDelay,
    int maxUnavailable,
    Duration progressDeadline,
    boolean abortOnDeadline,
    GateMargins margins,
    Duration drainTimeout) {

  /** The guide's defaults. */
  public static final RolloutParameters DEFAULTS =
      new RolloutParameters(
          Duration.ofMinutes(30),
          2,
          0,
          Duration.ofSeconds(60),
          0,
          Duration.ofSeconds(600),
          false,
          GateMargins.DEFAULT,
          Duration.ofSeconds(300));

  /** These parameters with every unset (null or zero) value taken from the defaults. */
  public RolloutParameters withDefaults() {
    int size = batchSize > 0 ? batchSize : DEFAULTS.batchSize;
    return new RolloutParameters(
        positive(canaryBake, DEFAULTS.canaryBake),
        size,
        Math.max(0, batchPercent),
        positive(batchDelay, DEFAULTS.batchDelay),
        maxUnavailable,
        positive(progressDeadline, DEFAULTS.progressDeadline),
        abortOnDeadline,
        margins == null ? GateMargins.DEFAULT : margins.orElse(GateMargins.DEFAULT),
        positive(drainTimeout, DEFAULTS.drainTimeout));
  }

  /**
   * Bots per batch for {@code selected} bots: the percentage (rounded up) when set, else the size.
   */
  public int batchSizeFor(int selected) {
    if (batchPercent > 0) {
      return Math.max(1, (int) Math.ceil(selected * batchPercent / 100.0));
    }
    return batchSize;
  }

  private static Duration positive(Duration value, Duration fallback) {
    return value == null || value.isZero() || value.isNegative() ? fallback : value;
  }
}
