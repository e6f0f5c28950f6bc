package io.botfleet.sdk.command;

import java.time.Duration;

/**
 * {@code update_version}: switch to another software version (a deployment). The deployment counts
 * this bot as updated when it acknowledges and then heartbeats with the new version, so report
 * {@code newVersion} in {@link io.botfleet.sdk.Metrics#version()} once it runs.
 *
 * @param info id, sequence, times, raw payload
 * @param newVersion the version to run (required)
 * @param deploymentId the deployment, if any
 * @param role {@code canary} or {@code rolling}, if given
 * @param artifactRef where to fetch it (image, package URL …), if given
 * @param monitoringDuration the canary's bake time, if given (else null)
 */
public record UpdateVersionCommand(
    CommandInfo info,
    String newVersion,
    String deploymentId,
    String role,
    String artifactRef,
    Duration monitoringDuration) {}
