package io.botfleet.deploy.domain;

import java.util.List;

/**
 * A deployment with its bots and analyses.
 *
 * @param summary the deployment
 * @param bots every selected bot, by batch then name
 * @param gates the analyses so far, oldest first
 */
public record DeploymentDetail(
    DeploymentSummary summary, List<DeploymentBot> bots, List<GateResult> gates) {}
