package io.botfleet.identity.domain;

import io.botfleet.signing.VerifyingKey;
import java.time.Instant;

/**
 * One version of an identity's public key.
 *
 * @param agentId the identity
 * @param version the version, from 1
 * @param publicKey the key
 * @param status what it may still do
 * @param createdAt when registered
 * @param retiredAt when it stopped verifying requests, or null
 */
public record KeyVersion(
    String agentId,
    int version,
    VerifyingKey publicKey,
    KeyStatus status,
    Instant createdAt,
    Instant retiredAt) {}
