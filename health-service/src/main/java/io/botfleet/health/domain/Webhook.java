package io.botfleet.health.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A webhook subscription (its secret is never part of it: it is shown once, at registration).
 *
 * @param id its id
 * @param url where deliveries go
 * @param eventTypes the event types it receives
 * @param createdAt when registered
 * @param createdBy who registered it
 * @param delivered deliveries that succeeded
 * @param failed deliveries given up
 * @param pending deliveries being retried
 */
public record Webhook(
    UUID id,
    String url,
    List<String> eventTypes,
    Instant createdAt,
    String createdBy,
    long delivered,
    long failed,
    long pending) {}
