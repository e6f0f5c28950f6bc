package io.botfleet.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FillTest {

  private static final Instant NOW = Instant.parse("2026-09-15T12:00:00Z");

  private static FillInput fill(String currency, String fee, String feeUsd) {
    return new FillInput(
        "t-1",
        "Binance",
        "BTC/USDT",
        "BUY",
        "0.01",
        "64000",
        fee,
        currency,
        feeUsd,
        NOW.minusSeconds(60),
        "");
  }

  @Test
  void aStablecoinFeeIsItsOwnUsdAmount() {
    Fill.Check check = Fill.check(fill("usdt", "0.10", ""), NOW);
    assertThat(check.ok()).isTrue();
    assertThat(check.fill().feeUsd()).isEqualByComparingTo("0.10");
    assertThat(check.fill().exchange()).isEqualTo("binance");
    assertThat(check.fill().feeCurrency()).isEqualTo("USDT");
  }

  @Test
  void anyOtherCurrencyNeedsFeeUsd() {
    Fill.Check check = Fill.check(fill("BNB", "0.0002", ""), NOW);
    assertThat(check.field()).isEqualTo("fee_usd");
    assertThat(check.problem()).contains("BNB");
    assertThat(Fill.check(fill("BNB", "0.0002", "0.12"), NOW).fill().feeUsd())
        .isEqualByComparingTo("0.12");
  }

  @Test
  void aRebateKeepsItsSignInUsd() {
    assertThat(Fill.check(fill("BNB", "-0.0002", "-0.12"), NOW).ok()).isTrue();
    assertThat(Fill.check(fill("BNB", "-0.0002", "0.12"), NOW).field()).isEqualTo("fee_usd");
  }

  @Test
  void eachMalformedFieldIsNamed() {
    FillInput good = fill("USDT", "0.1", "");
    assertThat(
            Fill.check(new FillInput("", "x", "p", "BUY", "1", "1", "0", "USDT", "", NOW, ""), NOW)
                .field())
        .isEqualTo("fill_id");
    assertThat(
            Fill.check(
                    new FillInput(
                        "a", "x", "p", "BUY", "-1", "1", "0", "USDT", "", good.fillTime(), ""),
                    NOW)
                .field())
        .isEqualTo("size");
    assertThat(
            Fill.check(
                    new FillInput(
                        "a", "x", "p", "", "1", "1", "0", "USDT", "", good.fillTime(), ""),
                    NOW)
                .field())
        .isEqualTo("side");
    assertThat(
            Fill.check(
                    new FillInput(
                        "a", "x", "p", "SELL", "1", "abc", "0", "USDT", "", good.fillTime(), ""),
                    NOW)
                .field())
        .isEqualTo("price");
    assertThat(
            Fill.check(
                    new FillInput(
                        "a",
                        "x",
                        "p",
                        "SELL",
                        "1",
                        "1",
                        "0",
                        "USDT",
                        "",
                        NOW.plusSeconds(3600),
                        ""),
                    NOW)
                .field())
        .isEqualTo("fill_time");
  }
}
