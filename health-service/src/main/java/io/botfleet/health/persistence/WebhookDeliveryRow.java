package io.botfleet.health.persistence;

import java.util.UUID;

/**
 * A delivery to queue.
 *
 * @param id its id (the webhook-id header)
 * @param webhookId the webhook
 * @param eventType the event type
 * @param payload the JSON body
 */
public record WebhookDeliveryRow(UUID id, UUID webhookId, String eventType, String payload) {}
