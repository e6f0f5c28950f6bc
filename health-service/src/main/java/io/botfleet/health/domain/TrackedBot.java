package io.botfleet.health.domain;

import java.time.Instant;

/**
 * A bot health-service tracks, as fleet-service declared it.
 *
 * @param botId the bot
 * @param name its name
 * @param group its group (selects its policy)
 * @param exchange its exchange
 * @param strategy its strategy
 * @param standby a dormant standby: sends no heartbeats and is never declared dead
 * @param trackedAt when tracking started (a bot that never heartbeats is dead a threshold later)
 */
public record TrackedBot(
    String botId,
    String name,
    String group,
    String exchange,
    String strategy,
    boolean standby,
    Instant trackedAt) {}
