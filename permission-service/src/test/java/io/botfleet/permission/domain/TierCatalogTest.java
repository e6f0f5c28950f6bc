package io.botfleet.permission.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.common.error.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TierCatalogTest {

  private final TierCatalog catalog =
      TierCatalog.of(
          Map.of("trade", 2, "read_only", 1),
          Map.of("read_only", List.of("read_positions"), "trade", List.of("place_order")),
          Map.of("trade", Map.of("okx", Map.of("perm", "trade"))));

  @Test
  void eachTierIncludesEveryLowerTierInRankOrder() {
    List<TierDefinition> tiers = catalog.tiers();

    assertThat(tiers).extracting(TierDefinition::name).containsExactly("read_only", "trade");
    assertThat(tiers.get(1).permissions()).containsExactly("read_positions", "place_order");
    assertThat(tiers.get(1).grants("read_positions")).isTrue();
    assertThat(tiers.get(0).grants("place_order")).isFalse();
    assertThat(tiers.get(0).exchangeMappings()).isEmpty();
    assertThat(catalog.actions()).containsExactlyInAnyOrder("read_positions", "place_order");
  }

  @Test
  void aMissingMappingNamesTheExchangeAndTheExchangesThatAreMapped() {
    TierDefinition trade = catalog.get("trade");

    assertThat(catalog.requireMapping(trade, "okx", "exchange")).containsEntry("perm", "trade");
    assertThatThrownBy(() -> catalog.requireMapping(trade, "kraken", "exchange"))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class,
            e -> {
              assertThat(e.violations()).singleElement().extracting("field").isEqualTo("exchange");
              assertThat(e.getMessage()).contains("kraken", "trade", "mapped on: okx");
            });
    assertThatThrownBy(() -> catalog.requireMapping(catalog.get("read_only"), "okx", "exchange"))
        .hasMessageContaining("mapped on no exchange");
  }
}
