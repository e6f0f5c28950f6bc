package io.botfleet.permission.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TierCatalogTest {

  @Test
  void eachTierIncludesEveryLowerTierInRankOrder() {
    List<TierDefinition> tiers =
        TierCatalog.build(
            Map.of("trade", 2, "read_only", 1),
            Map.of("read_only", List.of("read_positions"), "trade", List.of("place_order")),
            Map.of("trade", Map.of("okx", Map.of("perm", "trade"))));

    assertThat(tiers).extracting(TierDefinition::name).containsExactly("read_only", "trade");
    assertThat(tiers.get(1).permissions()).containsExactly("read_positions", "place_order");
    assertThat(tiers.get(1).grants("read_positions")).isTrue();
    assertThat(tiers.get(0).grants("place_order")).isFalse();
    assertThat(tiers.get(0).exchangeMappings()).isEmpty();
  }
}
