package io.botfleet.health.domain;

import java.time.Instant;

/**
 * A bot with the targets that apply to it.
 *
 * @param botId the bot
 * @param name its name
 * @param group its group
 * @param trackedAt when tracking started
 * @param untrackedAt when it ended (null while tracked)
 * @param targets its own targets, else its group's (null if neither)
 * @param own true if the targets are the bot's own
 */
public record SlaBot(
    String botId,
    String name,
    String group,
    Instant trackedAt,
    Instant untrackedAt,
    SlaTargets targets,
    boolean own) {}
