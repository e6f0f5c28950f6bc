package io.botfleet.deploy.domain;

/**
 * How much worse than the rest of its group an updated bot may be before its gate fails.
 *
 * @param errorCount extra errors per heartbeat over the group's mean (default 2)
 * @param latencyPct latency may exceed the group's mean by this percentage (default 50)
 * @param drawdownPct drawdown may exceed the group's mean by this many percentage points (default
 *     2)
 */
public record GateMargins(double errorCount, double latencyPct, double drawdownPct) {

  /** The defaults. */
  public static final GateMargins DEFAULT = new GateMargins(2, 50, 2);

  /** These margins with every unset (zero) value taken from {@code fallback}. */
  public GateMargins orElse(GateMargins fallback) {
    return new GateMargins(
        errorCount > 0 ? errorCount : fallback.errorCount,
        latencyPct > 0 ? latencyPct : fallback.latencyPct,
        drawdownPct > 0 ? drawdownPct : fallback.drawdownPct);
  }
}
