package io.botfleet.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetsTest {

  @TempDir Path dir;

  @Test
  void theGuideFleetIsTheTwelveBotsOfSeedSpec() {
    List<BotProfile> fleet = Fleets.guideFleet();

    assertThat(fleet)
        .extracting(BotProfile::name)
        .containsExactly(
            "spot-arb-01",
            "spot-arb-02",
            "spot-arb-03",
            "perp-momentum-01",
            "perp-momentum-02",
            "perp-momentum-03",
            "perp-momentum-04",
            "perp-momentum-05",
            "options-mm-01",
            "options-mm-02",
            "options-mm-03",
            "options-mm-04");
    assertThat(
            fleet.stream().filter(b -> b.group().equals("perp-momentum")).map(BotProfile::exchange))
        .containsExactly("binance", "bybit", "okx", "deribit", "binance");
    assertThat(fleet.stream().filter(b -> b.group().equals("spot-arb")).map(BotProfile::exchange))
        .containsExactly("binance", "binance", "okx");
    Map<String, String> versions =
        fleet.stream()
            .collect(Collectors.toMap(BotProfile::group, BotProfile::version, (a, b) -> a));
    assertThat(versions)
        .containsEntry("spot-arb", "2.4.1")
        .containsEntry("perp-momentum", "1.8.3")
        .containsEntry("options-mm", "3.1.0");
    assertThat(fleet.get(0).maxPositionUsd()).isEqualByComparingTo("10000");
    assertThat(fleet.get(3).maxPositionUsd()).isEqualByComparingTo("25000");
    assertThat(fleet.get(8).maxPositionUsd()).isEqualByComparingTo("50000");
    assertThat(fleet.get(8).strategy()).isEqualTo("delta-neutral-mm");
  }

  @Test
  void aLoadFleetSpreadsBotsEvenlyOverTheGroupsWithUniqueNames() {
    List<BotProfile> fleet =
        Fleets.loadFleet(10_000, List.of("spot-arb", "perp-momentum", "options-mm", "grid"));

    assertThat(fleet).hasSize(10_000);
    assertThat(fleet.stream().map(BotProfile::name).distinct().count()).isEqualTo(10_000);
    assertThat(fleet.stream().filter(b -> b.group().equals("grid")).count()).isEqualTo(2500);
    assertThat(fleet.get(1).name()).isEqualTo("perp-momentum-00001");
    assertThat(fleet.get(3).strategy())
        .as("an unknown group trades like spot-arb")
        .isEqualTo("cross-exchange-arb");
  }

  @Test
  void aTokensFileNamesTheBotsAndMayOverrideTheirProfile() throws Exception {
    Path file = dir.resolve("tokens.txt");
    Files.writeString(
        file,
        """
        # written by ./fleet demo
        spot-arb-01 bfe_aaa
        perp-momentum-06 bfe_bbb standby=true
        mm-eu-01 bfe_ccc group=options-mm exchange=deribit version=3.2.0 max_position_usd=75000
        """);

    Map<BotProfile, String> tokens = Fleets.readTokens(file);

    assertThat(tokens.values()).containsExactly("bfe_aaa", "bfe_bbb", "bfe_ccc");
    List<BotProfile> bots = List.copyOf(tokens.keySet());
    assertThat(bots.get(0)).isEqualTo(Fleets.guideFleet().get(0));
    assertThat(bots.get(1).group()).isEqualTo("perp-momentum");
    assertThat(bots.get(1).standby()).isTrue();
    assertThat(bots.get(2).version()).isEqualTo("3.2.0");
    assertThat(bots.get(2).maxPositionUsd()).isEqualByComparingTo(new BigDecimal("75000"));
  }

  @Test
  void aMalformedTokensLineIsNamed() throws Exception {
    Path file = dir.resolve("tokens.txt");
    Files.writeString(file, "spot-arb-01 bfe_aaa\nspot-arb-02\n");
    assertThatThrownBy(() -> Fleets.readTokens(file))
        .hasMessageContaining("tokens.txt:2")
        .hasMessageContaining("<name> <token>");
  }
}
