package io.botfleet.fleet.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A stored command with the counts of its deliveries per state.
 *
 * @param id its id
 * @param type the command name
 * @param payload the guide's payload
 * @param scope whom it was aimed at
 * @param issuedBy who issued it
 * @param createdAt when
 * @param expiresAt never delivered after this
 * @param requestId its idempotency key
 * @param priority goes ahead of anything queued
 * @param targetCount bots addressed
 * @param deliveryCounts deliveries per state
 */
public record Command(
    UUID id,
    String type,
    Map<String, Object> payload,
    Scope scope,
    String issuedBy,
    Instant createdAt,
    Instant expiresAt,
    String requestId,
    boolean priority,
    int targetCount,
    Map<DeliveryState, Integer> deliveryCounts) {}
