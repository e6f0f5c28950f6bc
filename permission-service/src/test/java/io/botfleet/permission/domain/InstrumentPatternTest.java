package io.botfleet.permission.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InstrumentPatternTest {

  private static boolean matches(String pattern, String instrument) {
    return InstrumentPattern.parse(pattern).matches(InstrumentPattern.segmentsOf(instrument));
  }

  @Test
  void aWildcardStandsForOneOrMoreWholeSegments() {
    assertThat(matches("BTC-*-C", "BTC-27DEC26-100000-C")).isTrue();
    assertThat(matches("BTC-*-C", "BTC-261227-C")).isTrue();
    assertThat(matches("BTC-*-C", "BTC-C")).isFalse();
    assertThat(matches("BTC-*-C", "BTC-27DEC26-100000-P")).isFalse();
    assertThat(matches("BTC-*-*-C", "BTC-27DEC26-100000-C")).isTrue();
    assertThat(matches("BTC-*", "BTC-PERPETUAL")).isTrue();
  }

  @Test
  void literalSegmentsMatchWholeAndCaseSensitive() {
    assertThat(matches("BTC-*-C", "XBTC-1-C")).isFalse();
    assertThat(matches("BTC-*-C", "btc-1-C")).isFalse();
    assertThat(matches("BTC-PERPETUAL", "BTC-PERPETUAL")).isTrue();
    assertThat(matches("BTC-PERPETUAL", "BTC-PERPETUAL-X")).isFalse();
  }

  @Test
  void patternsOfWildcardsOnlyAreRefused() {
    assertThatThrownBy(() -> InstrumentPattern.parse("*-*"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allows every instrument");
    assertThatThrownBy(() -> InstrumentPattern.parse("BTC*-C"))
        .hasMessageContaining("malformed segment");
    assertThatThrownBy(() -> InstrumentPattern.parse("")).hasMessageContaining("1 to 128");
  }
}
