package io.botfleet.billing.domain;

/**
 * GreenHelix calls one service's outbox delivered for one agent and tool.
 *
 * @param agentId the agent the calls were for
 * @param tool the tool
 * @param calls delivered calls
 */
public record AgentUsage(String agentId, String tool, long calls) {}
