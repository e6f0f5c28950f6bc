package io.botfleet.identity.domain;

import java.util.List;

/**
 * One page of a list.
 *
 * @param items the items, in order
 * @param nextPosition where the next page starts (opaque to clients once encoded), null on the last
 * @param <T> the item type
 */
public record Page<T>(List<T> items, String nextPosition) {}
