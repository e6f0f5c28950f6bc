package io.botfleet.health.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One heartbeat as the bot sent it: the guide's ten metrics, the running version, the bot's
 * sequence and its custom metrics. Not yet checked: see {@link HeartbeatCheck}.
 *
 * @param sequence increasing per bot, restarting at 1 when the bot restarts
 * @param heartbeatTime when the bot took the sample (null if the bot sent none)
 * @param version the running version
 * @param uptimeSeconds seconds since the bot process started
 * @param latencyMs round trip to the exchange websocket
 * @param pnlUsd PnL since the start of the day, a decimal string as sent
 * @param drawdownPct drawdown from the day's peak, percent
 * @param tradeCount trades since the start of the day
 * @param openPositions open positions
 * @param openOrders open orders
 * @param memoryMb resident memory, MiB
 * @param cpuPct CPU, percent of one core
 * @param errorCount errors since the previous heartbeat
 * @param customMetrics strategy-specific metrics
 */
public record Heartbeat(
    long sequence,
    Instant heartbeatTime,
    String version,
    long uptimeSeconds,
    double latencyMs,
    String pnlUsd,
    double drawdownPct,
    long tradeCount,
    int openPositions,
    int openOrders,
    double memoryMb,
    double cpuPct,
    long errorCount,
    Map<String, Double> customMetrics) {

  /** The PnL as an exact decimal (only for a heartbeat that passed {@link HeartbeatCheck}). */
  public BigDecimal pnl() {
    return new BigDecimal(pnlUsd);
  }
}
