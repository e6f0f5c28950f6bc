package io.botfleet.identity.domain;

import io.botfleet.signing.VerifyingKey;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A principal's identity as the rest of the service sees it.
 *
 * @param id agent id
 * @param name name, unique in its organization among live identities
 * @param organization organization
 * @param kind bot, operator or service
 * @param operatorRole operators only, else null
 * @param role the guide's role
 * @param fleetManager agent id of the fleet manager, or null
 * @param group bot group, or null
 * @param exchange exchange, or null
 * @param strategy strategy, or null
 * @param version version, or null
 * @param capabilities capabilities
 * @param maxPositionUsd largest position, or null
 * @param metadata free-form metadata
 * @param status lifecycle status
 * @param keyVersion current key version (0 while pending enrollment)
 * @param publicKey current public key, or null while pending enrollment
 * @param greenhelixAgentId GreenHelix's id for it, or null
 * @param createdAt when registered
 * @param revokedAt when revoked, or null
 * @param revokeReason why revoked, or null
 * @param nextRotationAt when the next scheduled rotation is due (active bots), or null
 * @param rotation the rotation in progress, or null
 */
public record Identity(
    String id,
    String name,
    String organization,
    Kind kind,
    OperatorRole operatorRole,
    String role,
    String fleetManager,
    String group,
    String exchange,
    String strategy,
    String version,
    List<String> capabilities,
    BigDecimal maxPositionUsd,
    Map<String, String> metadata,
    IdentityStatus status,
    int keyVersion,
    VerifyingKey publicKey,
    String greenhelixAgentId,
    Instant createdAt,
    Instant revokedAt,
    String revokeReason,
    Instant nextRotationAt,
    KeyRotation rotation) {}
