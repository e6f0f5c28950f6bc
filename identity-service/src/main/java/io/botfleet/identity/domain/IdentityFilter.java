package io.botfleet.identity.domain;

import java.time.Instant;

/**
 * Which identities to list; null fields do not filter. They combine with AND.
 *
 * @param kind only this kind
 * @param group only this group
 * @param exchange only this exchange
 * @param status only this status
 * @param organization only this organization
 * @param rotationDueBefore only ACTIVE identities whose scheduled rotation is due at or before this
 *     time and that have no rotation in progress
 */
public record IdentityFilter(
    Kind kind,
    String group,
    String exchange,
    IdentityStatus status,
    String organization,
    Instant rotationDueBefore) {}
