package io.botfleet.permission.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the tier tables. */
@ApplicationScoped
public class TierQueries {

  @Inject EntityManager entityManager;
  @Inject ObjectMapper json;

  /** Tier name to rank. */
  @SuppressWarnings("unchecked")
  public Map<String, Integer> ranks() {
    Map<String, Integer> ranks = new LinkedHashMap<>();
    for (Object[] row :
        (List<Object[]>)
            entityManager.createNativeQuery("select name, rank from tiers").getResultList()) {
      ranks.put((String) row[0], ((Number) row[1]).intValue());
    }
    return ranks;
  }

  /** Tier name to the permissions it adds, in a stable order. */
  @SuppressWarnings("unchecked")
  public Map<String, List<String>> addedPermissions() {
    Map<String, List<String>> added = new HashMap<>();
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select p.tier, p.permission from tier_permissions p"
                    + " join tiers t on t.name = p.tier order by t.rank, p.permission")
            .getResultList();
    for (Object[] row : rows) {
      added.computeIfAbsent((String) row[0], t -> new ArrayList<>()).add((String) row[1]);
    }
    return added;
  }

  /** Tier name to exchange name to settings. */
  @SuppressWarnings("unchecked")
  public Map<String, Map<String, Map<String, Object>>> exchangeMappings() {
    Map<String, Map<String, Map<String, Object>>> mappings = new HashMap<>();
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select tier, exchange, config::text from exchange_mappings order by exchange")
            .getResultList();
    for (Object[] row : rows) {
      mappings
          .computeIfAbsent((String) row[0], t -> new LinkedHashMap<>())
          .put((String) row[1], parse((String) row[2]));
    }
    return mappings;
  }

  private Map<String, Object> parse(String config) {
    try {
      return json.readValue(config, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("malformed exchange mapping", e);
    }
  }
}
