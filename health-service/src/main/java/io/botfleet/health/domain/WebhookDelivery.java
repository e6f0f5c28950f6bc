package io.botfleet.health.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One delivery in the log.
 *
 * @param id its id (the webhook-id header)
 * @param webhookId the webhook
 * @param eventType the event type
 * @param attempts attempts so far
 * @param lastStatusCode HTTP status of the last attempt (0 if none)
 * @param lastError error of the last attempt ("" if none)
 * @param state pending, delivered or failed
 * @param createdAt when queued
 * @param nextAttemptAt when the next attempt is due
 * @param endedAt when delivered or given up
 */
public record WebhookDelivery(
    UUID id,
    UUID webhookId,
    String eventType,
    int attempts,
    int lastStatusCode,
    String lastError,
    String state,
    Instant createdAt,
    Instant nextAttemptAt,
    Instant endedAt) {}
