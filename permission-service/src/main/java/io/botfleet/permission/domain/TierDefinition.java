package io.botfleet.permission.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tier as the catalog holds it.
 *
 * @param name the guide's name: read_only, trade, withdraw, admin
 * @param rank its order; a tier includes every tier of lower rank
 * @param permissions every permission it grants, those of lower tiers included, in catalog order
 * @param exchangeMappings exchange name to that exchange's API key settings (a JSON object as a map
 *     of plain values)
 */
public record TierDefinition(
    String name,
    int rank,
    List<String> permissions,
    Map<String, Map<String, Object>> exchangeMappings) {

  /** True if the tier grants {@code permission}. */
  public boolean grants(String permission) {
    return permissions.contains(permission);
  }

  /** True if the tier grants something that moves funds or administers the account. */
  public boolean isPrivileged() {
    return permissions.stream().anyMatch(Actions.PRIVILEGED::contains);
  }

  /** True if the tier lets a bot send orders. */
  public boolean allowsOrders() {
    return permissions.stream().anyMatch(Actions::isOrder);
  }

  /** The API key settings of this tier on {@code exchange}, if it is mapped there. */
  public Optional<Map<String, Object>> mappingFor(String exchange) {
    return Optional.ofNullable(exchangeMappings.get(exchange));
  }
}
