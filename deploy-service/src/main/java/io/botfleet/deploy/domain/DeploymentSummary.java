package io.botfleet.deploy.domain;

import java.time.Instant;

/**
 * A deployment as listed (without its bots and gates).
 *
 * @param id the guide's id
 * @param version the version deployed
 * @param artifactRef where bots fetch it
 * @param selector the bots it targets
 * @param group the target group (or the group every selected bot shares), or null
 * @param strategy the strategy
 * @param parameters the parameters, defaults resolved
 * @param plan the plan
 * @param state the state
 * @param pausedFrom the state it was paused in (PAUSED only), or null
 * @param currentStep index of the current step
 * @param canaryBotId the canary, or null
 * @param canaryBotName its name, or null
 * @param requestedBy who asked
 * @param reason why it is paused, rolled back, aborted or failed, or null
 * @param createdAt when created
 * @param startedAt when started, or null
 * @param endedAt when it ended, or null
 * @param retainPreviousUntil until when the previous versions' artifacts are kept, or null
 */
public record DeploymentSummary(
    String id,
    String version,
    String artifactRef,
    Selector selector,
    String group,
    Strategy strategy,
    RolloutParameters parameters,
    RolloutPlan plan,
    DeploymentState state,
    DeploymentState pausedFrom,
    int currentStep,
    String canaryBotId,
    String canaryBotName,
    String requestedBy,
    String reason,
    Instant createdAt,
    Instant startedAt,
    Instant endedAt,
    Instant retainPreviousUntil) {}
