package io.botfleet.permission.domain;

import io.botfleet.common.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tiers, built from what each tier adds: a tier grants its own permissions and those of every
 * tier of lower rank (the guide's "each tier includes the previous one"). Also the set of known
 * actions: every permission some tier grants; anything else is an unknown action.
 */
public final class TierCatalog {

  private final List<TierDefinition> tiers;
  private final Map<String, TierDefinition> byName;
  private final Set<String> actions;

  private TierCatalog(List<TierDefinition> tiers) {
    this.tiers = List.copyOf(tiers);
    Map<String, TierDefinition> names = new LinkedHashMap<>();
    Set<String> known = new LinkedHashSet<>();
    for (TierDefinition tier : tiers) {
      names.put(tier.name(), tier);
      known.addAll(tier.permissions());
    }
    this.byName = Map.copyOf(names);
    this.actions = Set.copyOf(known);
  }

  /**
   * Builds the catalog.
   *
   * @param ranks tier name to rank
   * @param added tier name to the permissions it adds
   * @param mappings tier name to exchange name to settings
   */
  public static TierCatalog of(
      Map<String, Integer> ranks,
      Map<String, List<String>> added,
      Map<String, Map<String, Map<String, Object>>> mappings) {
    List<String> ordered =
        ranks.keySet().stream().sorted(Comparator.comparingInt(ranks::get)).toList();
    List<TierDefinition> tiers = new ArrayList<>();
    List<String> cumulative = new ArrayList<>();
    for (String tier : ordered) {
      cumulative.addAll(added.getOrDefault(tier, List.of()));
      tiers.add(
          new TierDefinition(
              tier,
              ranks.get(tier),
              List.copyOf(cumulative),
              Map.copyOf(new LinkedHashMap<>(mappings.getOrDefault(tier, Map.of())))));
    }
    return new TierCatalog(tiers);
  }

  /** Every tier, lowest first. */
  public List<TierDefinition> tiers() {
    return tiers;
  }

  /** The tier of a name. */
  public Optional<TierDefinition> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The tier of a name that the stored data refers to (a foreign key guarantees it exists). */
  public TierDefinition get(String name) {
    TierDefinition tier = byName.get(name);
    if (tier == null) {
      throw new IllegalStateException("tier " + name + " is not in the catalog");
    }
    return tier;
  }

  /** Every action some tier grants. */
  public Set<String> actions() {
    return actions;
  }

  /**
   * The API key settings of {@code tier} on {@code exchange}; INVALID_ARGUMENT naming {@code field}
   * and the exchanges that are mapped when there is none.
   */
  public Map<String, Object> requireMapping(TierDefinition tier, String exchange, String field) {
    return tier.mappingFor(exchange)
        .orElseThrow(
            () ->
                new InvalidArgumentException(
                    field,
                    "exchange "
                        + exchange
                        + " has no API key mapping for tier "
                        + tier.name()
                        + (tier.exchangeMappings().isEmpty()
                            ? " (that tier is mapped on no exchange)"
                            : " (mapped on: "
                                + String.join(", ", new TreeSet<>(tier.exchangeMappings().keySet()))
                                + ")")));
  }
}
