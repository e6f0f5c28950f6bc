package io.botfleet.permission.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the tier definitions from what each tier adds: a tier grants its own permissions and those
 * of every tier of lower rank (the guide's "each tier includes the previous one").
 */
public final class TierCatalog {

  private TierCatalog() {}

  /**
   * The tiers, lowest first.
   *
   * @param ranks tier name to rank
   * @param added tier name to the permissions it adds
   * @param mappings tier name to exchange name to settings
   */
  public static List<TierDefinition> build(
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
    return List.copyOf(tiers);
  }
}
