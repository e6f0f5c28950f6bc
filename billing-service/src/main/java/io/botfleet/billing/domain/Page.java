package io.botfleet.billing.domain;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param items the items
 * @param next the position the next page starts after, if there is more
 * @param <T> the item type
 */
public record Page<T>(List<T> items, Optional<String> next) {}
