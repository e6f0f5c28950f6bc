package io.botfleet.deploy.domain;

import java.time.Instant;
import java.util.List;

/**
 * What a bot's heartbeats over an analysis window add up to.
 *
 * @param botId the bot
 * @param botName its name
 * @param samples heartbeats counted
 * @param errorsPerHeartbeat errors per heartbeat
 * @param meanLatencyMs mean heartbeat latency
 * @param maxDrawdownPct largest drawdown
 * @param worstStatus the worst status seen
 * @param lastSample when the last counted heartbeat was taken, or null
 */
public record BotMetrics(
    String botId,
    String botName,
    int samples,
    double errorsPerHeartbeat,
    double meanLatencyMs,
    double maxDrawdownPct,
    HealthStatus worstStatus,
    Instant lastSample) {

  /**
   * Sums a history up.
   *
   * @param version count only heartbeats reporting this version, or null for every heartbeat
   */
  public static BotMetrics of(
      String botId, String botName, List<HeartbeatSample> history, String version) {
    int samples = 0;
    long errors = 0;
    double latency = 0;
    double drawdown = 0;
    HealthStatus worst = HealthStatus.UNKNOWN;
    Instant last = null;
    for (HeartbeatSample point : history) {
      if (version != null && !version.equals(point.version())) {
        continue;
      }
      int n = Math.max(1, point.samples());
      samples += n;
      errors += point.errorCount();
      latency += point.latencyMs() * n;
      drawdown = Math.max(drawdown, point.drawdownPct());
      if (last == null || point.time().isAfter(last)) {
        last = point.time();
      }
      if (point.status() != null && point.status().ordinal() > worst.ordinal()) {
        worst = point.status();
      }
    }
    return samples == 0
        ? new BotMetrics(botId, botName, 0, 0, 0, 0, worst, null)
        : new BotMetrics(
            botId,
            botName,
            samples,
            (double) errors / samples,
            latency / samples,
            drawdown,
            worst,
            last);
  }
}
