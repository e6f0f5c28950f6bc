package io.botfleet.identity.domain;

import io.botfleet.signing.VerifyingKey;

/**
 * One key as the key feed shows it to verifiers.
 *
 * @param agentId the identity
 * @param kind its kind
 * @param operatorRole its role (operators), else null
 * @param name its name
 * @param keyVersion the version
 * @param publicKey the key
 * @param status the key's status
 */
public record FeedKey(
    String agentId,
    Kind kind,
    OperatorRole operatorRole,
    String name,
    int keyVersion,
    VerifyingKey publicKey,
    KeyStatus status) {}
