package io.botfleet.permission.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The guide's fleet permission summary, plus the suspended bots.
 *
 * @param totalBots bots with permissions
 * @param tierCounts bots per tier in force, every tier present
 * @param withdrawEnabled names of bots holding withdraw_funds
 * @param adminEnabled names of bots holding modify_api_keys
 * @param suspended the suspended bots
 * @param createdAt when the summary was made
 */
public record FleetPermissionSummary(
    int totalBots,
    Map<String, Integer> tierCounts,
    List<String> withdrawEnabled,
    List<String> adminEnabled,
    List<SuspendedBot> suspended,
    Instant createdAt) {

  /**
   * A suspended bot.
   *
   * @param agentId the bot
   * @param botName its name
   * @param mode paused or stopped
   * @param suspendedAt since when
   */
  public record SuspendedBot(
      String agentId, String botName, SuspensionMode mode, Instant suspendedAt) {}
}
