package io.botfleet.identity.domain;

import java.time.Instant;

/**
 * A key rotation of one identity.
 *
 * @param id rotation id (a UUID)
 * @param agentId the rotating identity
 * @param fromKeyVersion the version being replaced
 * @param toKeyVersion the version being introduced
 * @param state its state
 * @param reason why
 * @param requestedBy who began it
 * @param beginAt when it began
 * @param keyRegisteredAt when the new key was registered, or null
 * @param deadlineAt when it ends by itself: cancelled while awaiting the key, completed after
 * @param endAt when it ended, or null
 */
public record KeyRotation(
    String id,
    String agentId,
    int fromKeyVersion,
    int toKeyVersion,
    RotationState state,
    String reason,
    String requestedBy,
    Instant beginAt,
    Instant keyRegisteredAt,
    Instant deadlineAt,
    Instant endAt) {}
