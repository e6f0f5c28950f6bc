package io.botfleet.health.domain;

import java.time.Instant;

/**
 * A policy as stored, with who changed it last.
 *
 * @param policy the policy as given (empty fields inherit)
 * @param updatedAt when it was last changed
 * @param updatedBy by whom (agent id)
 */
public record StoredPolicy(HealthPolicy policy, Instant updatedAt, String updatedBy) {}
