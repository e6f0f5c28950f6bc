package io.botfleet.deploy.domain;

import java.time.Instant;

/**
 * One selected bot within a deployment.
 *
 * @param botId the bot
 * @param botName its name
 * @param previousVersion the version it ran before (what a rollback returns it to)
 * @param state its state
 * @param batch its batch (0 for the canary)
 * @param commandId the last command sent to it, or null
 * @param message why it failed or was skipped, or null
 * @param updatedAt when its state last changed
 */
public record DeploymentBot(
    String botId,
    String botName,
    String previousVersion,
    BotDeploymentState state,
    int batch,
    String commandId,
    String message,
    Instant updatedAt) {}
