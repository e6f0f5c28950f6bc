package io.botfleet.permission.domain;

import static io.botfleet.permission.domain.DecisionFixtures.DECIDER;
import static io.botfleet.permission.domain.DecisionFixtures.NOW;
import static io.botfleet.permission.domain.DecisionFixtures.OPTIONS_MM;
import static io.botfleet.permission.domain.DecisionFixtures.SPOT_ARB;
import static io.botfleet.permission.domain.DecisionFixtures.assertDecision;
import static io.botfleet.permission.domain.DecisionFixtures.decide;
import static io.botfleet.permission.domain.DecisionFixtures.decimal;
import static io.botfleet.permission.domain.DecisionFixtures.option;
import static io.botfleet.permission.domain.DecisionFixtures.order;
import static io.botfleet.permission.domain.DecisionFixtures.policy;
import static io.botfleet.permission.domain.DecisionFixtures.reduceOnly;
import static io.botfleet.permission.domain.DecisionFixtures.suspended;
import static io.botfleet.permission.domain.TestCatalogs.GUIDE;
import static io.botfleet.permission.domain.TestCatalogs.assignment;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Decisions for suspended and escalated bots. */
class SuspendedAndEscalatedDecisionTest {

  @Nested
  class Paused {

    private final BotPolicy bot = suspended(policy("trade", SPOT_ARB), SuspensionMode.PAUSED);

    @Test
    void readsReportsCommandsAndCancelsGoOn() {
      for (String action : List.of("read_positions", "report_metrics", "receive_commands")) {
        assertDecision(decide(bot, action, CheckContext.NONE), true, DecisionRule.ALLOWED);
      }
      assertDecision(decide(bot, "cancel_order", CheckContext.NONE), true, DecisionRule.ALLOWED);
    }

    @Test
    void ordersThatCanOpenOrGrowAPositionAreDenied() {
      assertDecision(
          decide(bot, "place_order", order("BTC/USDT", "100")),
          false,
          DecisionRule.SUSPENDED_PAUSED);
      assertDecision(
          decide(bot, "modify_order", order("BTC/USDT", "100")),
          false,
          DecisionRule.SUSPENDED_PAUSED);
    }

    @Test
    void reduceOnlyOrdersAreAllowedWithinTheOtherRestrictions() {
      assertDecision(
          decide(bot, "place_order", reduceOnly("100", "900")), true, DecisionRule.ALLOWED);
      assertDecision(
          decide(bot, "place_order", reduceOnly("9000", "0")), false, DecisionRule.MAX_ORDER_SIZE);
    }

    @Test
    void fundsDoNotMoveWhilePaused() {
      BotPolicy agent = suspended(policy("withdraw", Restrictions.NONE), SuspensionMode.PAUSED);

      assertDecision(
          decide(agent, "withdraw_funds", CheckContext.NONE), false, DecisionRule.SUSPENDED_PAUSED);
    }

    @Test
    void theTierAndTheDeniedActionsStillDecideFirst() {
      BotPolicy readOnly = suspended(policy("read_only", Restrictions.NONE), SuspensionMode.PAUSED);

      assertDecision(
          decide(readOnly, "place_order", reduceOnly("1", "0")), false, DecisionRule.TIER);
    }
  }

  @Nested
  class Stopped {

    private final BotPolicy bot = suspended(policy("trade", OPTIONS_MM), SuspensionMode.STOPPED);

    private CheckContext closing(String instrument, String size, String positionAfter) {
      return new CheckContext(
          "binance", "", instrument, decimal(size), true, decimal(positionAfter), decimal("3"));
    }

    @Test
    void onlyOrdersThatCloseThePositionAreAllowed() {
      assertDecision(
          decide(bot, "place_order", closing("BTC-1-2-C", "100", "0")), true, DecisionRule.ALLOWED);
      assertDecision(
          decide(bot, "place_order", closing("BTC-1-2-C", "100", "50")),
          false,
          DecisionRule.SUSPENDED_STOPPED);
      assertDecision(
          decide(bot, "place_order", closing("BTC-1-2-C", "100", null)),
          false,
          DecisionRule.MISSING_CONTEXT);
      assertDecision(
          decide(bot, "place_order", option("BTC-1-2-C", "100", "0")),
          false,
          DecisionRule.SUSPENDED_STOPPED);
    }

    @Test
    void sizeAndDeltaLimitsNeverKeepAStopFromFlatteningAPosition() {
      // 90,000 USD is over max_order_size_usd 25,000 and delta 3 is over 0.5: closing still goes.
      assertDecision(
          decide(bot, "place_order", closing("ETH-1-2-P", "90000", "0")),
          true,
          DecisionRule.ALLOWED);
    }

    @Test
    void theMarketListsStillApplyToClosingOrders() {
      assertDecision(
          decide(bot, "place_order", closing("SOL-1-2-C", "100", "0")),
          false,
          DecisionRule.ALLOWED_INSTRUMENTS);
    }

    @Test
    void cancelsAndReadsGoOn() {
      assertDecision(decide(bot, "cancel_order", CheckContext.NONE), true, DecisionRule.ALLOWED);
      assertDecision(decide(bot, "read_balances", CheckContext.NONE), true, DecisionRule.ALLOWED);
    }
  }

  @Nested
  class Escalated {

    private BotPolicy escalatedUntil(Instant end) {
      Assignment base = assignment("read_only", Restrictions.NONE);
      Assignment escalated =
          new Assignment(
              base.agentId(),
              base.botName(),
              base.group(),
              BotRole.WITHDRAWAL_AGENT,
              base.exchange(),
              "read_only",
              "withdraw",
              UUID.randomUUID(),
              end,
              base.restrictions(),
              base.assignedBy(),
              base.assignedAt(),
              null);
      return BotPolicy.of(escalated, GUIDE);
    }

    @Test
    void theEscalatedTierHoldsUntilItsEndAndNotAMomentLonger() {
      BotPolicy bot = escalatedUntil(NOW.plusSeconds(1));

      assertDecision(decide(bot, "withdraw_funds", CheckContext.NONE), true, DecisionRule.ALLOWED);
      Decision after = DECIDER.decide(bot, "withdraw_funds", CheckContext.NONE, NOW.plusSeconds(1));
      assertDecision(after, false, DecisionRule.TIER);
      assertThat(after.reason()).contains("read_only");
    }

    @Test
    void anEscalationWithoutEndHolds() {
      assertDecision(
          DECIDER.decide(escalatedUntil(null), "withdraw_funds", CheckContext.NONE, Instant.MAX),
          true,
          DecisionRule.ALLOWED);
    }
  }
}
