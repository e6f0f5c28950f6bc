package io.botfleet.permission.domain;

import static io.botfleet.permission.domain.DecisionFixtures.OPTIONS_MM;
import static io.botfleet.permission.domain.DecisionFixtures.SPOT_ARB;
import static io.botfleet.permission.domain.DecisionFixtures.assertDecision;
import static io.botfleet.permission.domain.DecisionFixtures.decide;
import static io.botfleet.permission.domain.DecisionFixtures.option;
import static io.botfleet.permission.domain.DecisionFixtures.order;
import static io.botfleet.permission.domain.DecisionFixtures.policy;
import static io.botfleet.permission.domain.DecisionFixtures.reduceOnly;
import static io.botfleet.permission.domain.TestCatalogs.GUIDE;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PermissionDeciderTest {

  @Nested
  class DenyByDefault {

    @Test
    void anUnknownBotIsDenied() {
      assertDecision(
          decide(null, "read_positions", CheckContext.NONE), false, DecisionRule.UNKNOWN_BOT);
    }

    @Test
    void anUnknownActionIsDeniedEvenForTheHighestTier() {
      Decision decision =
          decide(policy("admin", Restrictions.NONE), "launch_rockets", CheckContext.NONE);

      assertDecision(decision, false, DecisionRule.UNKNOWN_ACTION);
      assertThat(decision.reason()).contains("launch_rockets");
    }

    @Test
    void everyTierAllowsExactlyItsOwnPermissions() {
      for (TierDefinition tier : GUIDE.tiers()) {
        BotPolicy bot = policy(tier.name(), Restrictions.NONE);
        for (String action : GUIDE.actions()) {
          CheckContext context =
              Actions.isOrder(action) ? order("BTC/USDT", "100") : CheckContext.NONE;
          Decision decision = decide(bot, action, context);
          if (tier.grants(action)) {
            assertDecision(decision, true, DecisionRule.ALLOWED);
          } else {
            assertDecision(decision, false, DecisionRule.TIER);
            assertThat(decision.reason()).contains(tier.name(), action);
          }
        }
      }
    }

    @Test
    void aDeniedActionIsDeniedAlthoughTheTierGrantsIt() {
      Restrictions denyModify =
          new Restrictions(null, null, List.of(), List.of(), null, List.of("modify_order"));

      assertDecision(
          decide(policy("trade", denyModify), "modify_order", order("BTC/USDT", "1")),
          false,
          DecisionRule.DENIED_ACTION);
      assertDecision(
          decide(policy("trade", denyModify), "place_order", order("BTC/USDT", "1")),
          true,
          DecisionRule.ALLOWED);
    }
  }

  @Nested
  class Exchange {

    @Test
    void anotherExchangeIsDeniedForAnyAction() {
      CheckContext onOkx = new CheckContext("okx", "", "", null, false, null, null);

      assertDecision(
          decide(policy("trade", Restrictions.NONE), "read_balances", onOkx),
          false,
          DecisionRule.EXCHANGE);
    }

    @Test
    void anOrderMustNameItsExchangeButAReadNeedNot() {
      CheckContext noExchange = new CheckContext("", "BTC/USDT", "", null, false, null, null);
      BotPolicy bot = policy("trade", Restrictions.NONE);

      assertDecision(decide(bot, "place_order", noExchange), false, DecisionRule.MISSING_CONTEXT);
      assertDecision(decide(bot, "read_positions", CheckContext.NONE), true, DecisionRule.ALLOWED);
    }
  }

  @Nested
  class Markets {

    @Test
    void theGuidesSpotArbBotTradesOnlyItsPairs() {
      BotPolicy bot = policy("trade", SPOT_ARB);

      assertDecision(
          decide(bot, "place_order", order("ETH/USDT", "100")), true, DecisionRule.ALLOWED);
      Decision doge = decide(bot, "place_order", order("DOGE/USDT", "100"));
      assertDecision(doge, false, DecisionRule.ALLOWED_PAIRS);
      assertThat(doge.reason()).contains("DOGE/USDT");
    }

    @Test
    void aPairRestrictionNeedsThePair() {
      CheckContext noPair = new CheckContext("binance", "", "", BigDecimal.ONE, false, null, null);
      CheckContext instrumentOnly =
          new CheckContext("binance", "", "BTCUSDT", BigDecimal.ONE, false, null, null);
      BotPolicy bot = policy("trade", SPOT_ARB);

      assertDecision(decide(bot, "place_order", noPair), false, DecisionRule.MISSING_CONTEXT);
      assertDecision(
          decide(bot, "place_order", instrumentOnly), false, DecisionRule.MISSING_CONTEXT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BTC-27DEC26-100000-C", "BTC-27DEC26-80000-P", "ETH-26JUN26-4000-C"})
    void theGuidesOptionsBotTradesItsInstruments(String instrument) {
      assertDecision(
          decide(policy("trade", OPTIONS_MM), "place_order", option(instrument, "1000", "0.2")),
          true,
          DecisionRule.ALLOWED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SOL-27DEC26-200-C", "BTC-PERPETUAL", "BTC-27DEC26", "XBTC-1-C"})
    void otherInstrumentsAreDenied(String instrument) {
      assertDecision(
          decide(policy("trade", OPTIONS_MM), "place_order", option(instrument, "1000", "0.2")),
          false,
          DecisionRule.ALLOWED_INSTRUMENTS);
    }

    @Test
    void anInstrumentRestrictionNeedsTheInstrument() {
      assertDecision(
          decide(policy("trade", OPTIONS_MM), "place_order", option("", "1000", "0.2")),
          false,
          DecisionRule.MISSING_CONTEXT);
    }

    @Test
    void withBothListsOneMatchingIdentifierIsEnough() {
      Restrictions both =
          new Restrictions(
              null,
              null,
              List.of("BTC/USDT"),
              List.of(InstrumentPattern.parse("BTC-*-C")),
              null,
              List.of());
      BotPolicy bot = policy("trade", both);

      assertDecision(
          decide(bot, "place_order", order("BTC/USDT", "1")), true, DecisionRule.ALLOWED);
      assertDecision(
          decide(bot, "place_order", option("BTC-1-2-C", "1", null)), true, DecisionRule.ALLOWED);
      assertDecision(
          decide(bot, "place_order", new CheckContext("binance", "", "", null, false, null, null)),
          false,
          DecisionRule.MISSING_CONTEXT);
    }

    @Test
    void aCancelNeedsNoMarketAndNoSize() {
      assertDecision(
          decide(policy("trade", OPTIONS_MM), "cancel_order", CheckContext.NONE),
          true,
          DecisionRule.ALLOWED);
    }
  }

  @Nested
  class Limits {

    @Test
    void anOrderUpToTheMaximumSizeIsAllowedAndAboveItDenied() {
      BotPolicy bot = policy("trade", SPOT_ARB);

      assertDecision(
          decide(bot, "place_order", order("BTC/USDT", "5000")), true, DecisionRule.ALLOWED);
      Decision above = decide(bot, "place_order", order("BTC/USDT", "5000.01"));
      assertDecision(above, false, DecisionRule.MAX_ORDER_SIZE);
      assertThat(above.reason()).isEqualTo("order 5000.01 USD exceeds max_order_size_usd 5000");
    }

    @Test
    void aSizeLimitNeedsTheSizeEvenForReduceOnlyOrders() {
      BotPolicy bot = policy("trade", SPOT_ARB);

      assertDecision(
          decide(bot, "place_order", order("BTC/USDT", null)), false, DecisionRule.MISSING_CONTEXT);
      assertDecision(
          decide(bot, "modify_order", reduceOnly("6000", "0")), false, DecisionRule.MAX_ORDER_SIZE);
    }

    @Test
    void thePositionLimitBindsOrdersThatCanGrowAPositionOnly() {
      Restrictions limit =
          new Restrictions(null, new BigDecimal("10000"), List.of(), List.of(), null, List.of());
      BotPolicy bot = policy("trade", limit);
      CheckContext grows =
          new CheckContext(
              "binance", "BTC/USDT", "", BigDecimal.TEN, false, new BigDecimal("10001"), null);
      CheckContext noPosition =
          new CheckContext("binance", "BTC/USDT", "", BigDecimal.TEN, false, null, null);

      assertDecision(decide(bot, "place_order", grows), false, DecisionRule.MAX_POSITION);
      assertDecision(decide(bot, "place_order", noPosition), false, DecisionRule.MISSING_CONTEXT);
      assertDecision(
          decide(bot, "place_order", reduceOnly("10", "20000")), true, DecisionRule.ALLOWED);
    }

    @Test
    void deltaIsLimitedInBothDirections() {
      BotPolicy bot = policy("trade", OPTIONS_MM);

      assertDecision(
          decide(bot, "place_order", option("BTC-1-2-C", "10", "-0.5")),
          true,
          DecisionRule.ALLOWED);
      assertDecision(
          decide(bot, "place_order", option("BTC-1-2-C", "10", "-0.51")),
          false,
          DecisionRule.MAX_DELTA_EXPOSURE);
      assertDecision(
          decide(bot, "place_order", option("BTC-1-2-C", "10", "0.6")),
          false,
          DecisionRule.MAX_DELTA_EXPOSURE);
      assertDecision(
          decide(bot, "place_order", option("BTC-1-2-C", "10", null)),
          false,
          DecisionRule.MISSING_CONTEXT);
    }
  }
}
