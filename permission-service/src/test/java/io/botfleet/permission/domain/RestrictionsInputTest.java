package io.botfleet.permission.domain;

import static io.botfleet.permission.domain.TestCatalogs.GUIDE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.common.error.InvalidArgumentException;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RestrictionsInputTest {

  private static Restrictions validate(RestrictionsInput input, String tier) {
    return input.validate(GUIDE.get(tier), GUIDE.actions(), "restrictions");
  }

  private static RestrictionsInput sizes(String order, String position, String delta) {
    return new RestrictionsInput(order, position, List.of(), List.of(), delta, List.of());
  }

  private static List<String> fieldsOf(Runnable call) {
    try {
      call.run();
    } catch (InvalidArgumentException e) {
      return e.violations().stream().map(InvalidArgumentException.FieldViolation::field).toList();
    }
    throw new AssertionError("expected INVALID_ARGUMENT");
  }

  @Test
  void theGuidesRestrictionsAreValid() {
    Restrictions spotArb =
        validate(
            new RestrictionsInput(
                "5000", "", List.of("BTC/USDT", "ETH/USDT", "SOL/USDT"), List.of(), "", List.of()),
            "trade");
    Restrictions optionsMm =
        validate(
            new RestrictionsInput(
                "25000",
                "",
                List.of(),
                List.of("BTC-*-C", "BTC-*-P", "ETH-*-C", "ETH-*-P"),
                "0.5",
                List.of()),
            "trade");

    assertThat(spotArb.maxOrderSizeUsd()).isEqualByComparingTo("5000");
    assertThat(spotArb.allowedPairs()).hasSize(3);
    assertThat(optionsMm.maxDeltaExposure()).isEqualByComparingTo(new BigDecimal("0.5"));
    assertThat(optionsMm.allowedInstruments()).extracting(InstrumentPattern::text).hasSize(4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-5", "NaN", "Infinity", "1e3", "5,000", "abc", "0x10", " 5"})
  void aSizeThatIsNotANonNegativeDecimalIsRefusedNamingTheField(String size) {
    assertThat(fieldsOf(() -> validate(sizes(size, "", ""), "trade")))
        .containsExactly("restrictions.max_order_size_usd");
  }

  @Test
  void aZeroLimitIsRefusedAndEveryBadFieldIsNamedAtOnce() {
    assertThat(fieldsOf(() -> validate(sizes("0", "-1", "NaN"), "trade")))
        .containsExactly(
            "restrictions.max_order_size_usd",
            "restrictions.max_position_usd",
            "restrictions.max_delta_exposure");
  }

  @Test
  void aZeroDeltaIsAStrictButValidLimit() {
    assertThat(validate(sizes("", "", "0"), "trade").maxDeltaExposure()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"*", "*-*", "*-*-*"})
  void anAllowEverythingPatternIsRefused(String pattern) {
    RestrictionsInput input =
        new RestrictionsInput("", "", List.of(), List.of("BTC-*-C", pattern), "", List.of());

    assertThatThrownBy(() -> validate(input, "trade"))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class,
            e -> {
              assertThat(e.violations())
                  .singleElement()
                  .satisfies(
                      v -> {
                        assertThat(v.field()).isEqualTo("restrictions.allowed_instruments[1]");
                        assertThat(v.description()).contains("omit allowed_instruments");
                      });
            });
  }

  @Test
  void malformedPairsAndPatternsAreRefused() {
    RestrictionsInput input =
        new RestrictionsInput(
            "",
            "",
            List.of("btc/usdt", "BTC/*", "BTC/USDT", "BTC/USDT"),
            List.of("BTC--C", "BTC-*-C!"),
            "",
            List.of());

    assertThat(fieldsOf(() -> validate(input, "trade")))
        .containsExactly(
            "restrictions.allowed_pairs[0]",
            "restrictions.allowed_pairs[1]",
            "restrictions.allowed_pairs[3]",
            "restrictions.allowed_instruments[0]",
            "restrictions.allowed_instruments[1]");
  }

  @Test
  void deniedActionsMustBeKnownAndListedOnce() {
    RestrictionsInput input =
        new RestrictionsInput(
            "", "", List.of(), List.of(), "", List.of("modify_order", "fly", "modify_order"));

    assertThat(fieldsOf(() -> validate(input, "trade")))
        .containsExactly("restrictions.denied_actions[1]", "restrictions.denied_actions[2]");
  }

  @Test
  void orderLimitsContradictATierThatPlacesNoOrders() {
    RestrictionsInput input =
        new RestrictionsInput(
            "5000", "10000", List.of("BTC/USDT"), List.of("BTC-*-C"), "0.5", List.of());

    assertThatThrownBy(() -> validate(input, "read_only"))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class,
            e -> {
              assertThat(e.violations()).hasSize(5);
              assertThat(e.getMessage()).contains("tier read_only places none");
            });
  }

  @Test
  void denyingActionsSuitsEveryTier() {
    RestrictionsInput input =
        new RestrictionsInput("", "", List.of(), List.of(), "", List.of("read_trade_history"));

    assertThat(validate(input, "read_only").deniedActions()).containsExactly("read_trade_history");
  }
}
