package io.botfleet.deploy.domain;

import java.time.Instant;
import java.util.List;

/**
 * The current health of a bot and the facts of its latest heartbeat that deployments use.
 *
 * @param botId the bot
 * @param status its status
 * @param issues its current issues (the guide's strings)
 * @param version the version of its latest heartbeat, or null if it never sent one
 * @param latestReceiveTime when that heartbeat arrived, or null
 * @param openOrders open orders in that heartbeat, or null
 */
public record BotHealth(
    String botId,
    HealthStatus status,
    List<String> issues,
    String version,
    Instant latestReceiveTime,
    Integer openOrders) {

  /** True if a heartbeat with {@code version} arrived at or after {@code since}. */
  public boolean reports(String expectedVersion, Instant since) {
    return version != null
        && version.equals(expectedVersion)
        && latestReceiveTime != null
        && !latestReceiveTime.isBefore(since);
  }
}
