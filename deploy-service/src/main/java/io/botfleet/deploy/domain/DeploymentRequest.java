package io.botfleet.deploy.domain;

import java.util.List;

/**
 * What an operator asks for in CreateDeployment, already checked for form.
 *
 * @param version the version to deploy
 * @param artifactRef where the bots fetch it
 * @param selector the bots
 * @param strategy the strategy
 * @param parameters the parameters (unset values take the defaults)
 * @param steps a custom plan, or empty for the strategy's default
 * @param requestId the idempotency key
 * @param requestedBy who asks (agent id)
 */
public record DeploymentRequest(
    String version,
    String artifactRef,
    Selector selector,
    Strategy strategy,
    RolloutParameters parameters,
    List<RolloutStep> steps,
    String requestId,
    String requestedBy) {}
