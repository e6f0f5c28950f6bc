package io.botfleet.sdk.command;

/**
 * {@code rollback_version}: go back to the version run before the deployment, reconnect the
 * exchange websockets and reconcile positions changed meanwhile.
 *
 * @param info id, sequence, times, raw payload
 * @param deploymentId the deployment being rolled back
 * @param reason why, e.g. {@code deployment_rollback}
 * @param previousVersion the version to return to if the control plane named it, else null (the bot
 *     then returns to the version it ran before the last update)
 */
public record RollbackVersionCommand(
    CommandInfo info, String deploymentId, String reason, String previousVersion) {}
