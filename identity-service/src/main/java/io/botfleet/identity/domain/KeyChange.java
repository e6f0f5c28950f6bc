package io.botfleet.identity.domain;

/**
 * One change of the key feed.
 *
 * @param revision its revision (increasing, in commit order)
 * @param agentId the identity
 * @param revoked true if the identity was revoked (every version at once)
 * @param key the changed key as it is now; null for a revocation
 */
public record KeyChange(long revision, String agentId, boolean revoked, FeedKey key) {}
