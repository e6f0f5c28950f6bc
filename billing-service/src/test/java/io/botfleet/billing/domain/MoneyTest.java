package io.botfleet.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {

  @Test
  void amountsAreExactAndFormattedWithAtLeastTwoDecimals() {
    assertThat(Money.parse("12.5")).isEqualByComparingTo("12.50");
    assertThat(Money.format(new BigDecimal("12.5"))).isEqualTo("12.50");
    assertThat(Money.format(new BigDecimal("0.125"))).isEqualTo("0.125");
    assertThat(Money.format(new BigDecimal("24.63000000"))).isEqualTo("24.63");
  }

  @Test
  void whatIsNotAnExactAmountIsRefusedWithTheReason() {
    assertThatThrownBy(() -> Money.parse("1e400")).hasMessageContaining("below");
    assertThatThrownBy(() -> Money.parse("0.000000001")).hasMessageContaining("8 decimal places");
    assertThatThrownBy(() -> Money.parse("Infinity")).hasMessageContaining("decimal number");
    assertThatThrownBy(() -> Money.parse("")).hasMessageContaining("required");
  }
}
