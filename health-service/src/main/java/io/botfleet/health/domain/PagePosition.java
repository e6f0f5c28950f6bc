package io.botfleet.health.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A keyset position in a newest-first listing: the last row of the previous page.
 *
 * @param time its time
 * @param id its id
 */
public record PagePosition(Instant time, UUID id) {}
