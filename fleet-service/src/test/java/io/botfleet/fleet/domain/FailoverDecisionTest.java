package io.botfleet.fleet.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailoverDecisionTest {

  private static final GroupPolicy AUTOMATIC =
      new GroupPolicy("spot-arb", FailoverMode.AUTOMATIC, false, 0.8, null, "");

  private static Bot bot(
      String name, String exchange, BotStatus status, Control control, boolean standby) {
    return new Bot(
        "bot-" + name,
        name,
        "spot-arb",
        exchange,
        "cross-exchange-arb",
        "2.4.1",
        status,
        control,
        List.of(),
        BigDecimal.TEN,
        Map.of(),
        "trading_bot",
        Tier.TRADE,
        standby,
        Instant.EPOCH,
        null,
        "",
        true);
  }

  private static final Bot DEAD =
      bot("spot-arb-01", "binance", BotStatus.DEAD, Control.ACTIVE, false);

  @Test
  void aManualGroupLeavesTheDecisionToTheOperator() {
    FailoverDecision decision =
        FailoverDecision.decide(
            DEAD,
            GroupPolicy.defaults("spot-arb"),
            new FailoverDecision.FleetHealth(12, 1, false),
            List.of(bot("standby", "binance", BotStatus.STANDBY, Control.ACTIVE, true)));

    assertThat(decision.outcome()).isEqualTo(FailoverDecision.Outcome.MANUAL);
  }

  @Test
  void anAutomaticGroupFailsOverToAStandbyOnTheSameExchangeFirst() {
    Bot okx = bot("a-standby", "okx", BotStatus.STANDBY, Control.ACTIVE, true);
    Bot binance = bot("b-standby", "binance", BotStatus.STANDBY, Control.ACTIVE, true);

    FailoverDecision decision =
        FailoverDecision.decide(
            DEAD, AUTOMATIC, new FailoverDecision.FleetHealth(12, 1, false), List.of(okx, binance));

    assertThat(decision.outcome()).isEqualTo(FailoverDecision.Outcome.FAIL_OVER);
    assertThat(decision.replacement()).contains(binance);
  }

  @Test
  void manyDeadAtOnceEscalatesRatherThanFailingOver() {
    // 3 of 12 dead: 75 % alive, below the 80 % the policy needs (a partition looks like this).
    FailoverDecision decision =
        FailoverDecision.decide(
            DEAD,
            AUTOMATIC,
            new FailoverDecision.FleetHealth(12, 3, false),
            List.of(bot("standby", "binance", BotStatus.STANDBY, Control.ACTIVE, true)));

    assertThat(decision.outcome()).isEqualTo(FailoverDecision.Outcome.ESCALATE);
    assertThat(decision.reason()).startsWith("too_many_dead: 3 of 12");
  }

  @Test
  void exactlyTheThresholdStillFailsOver() {
    FailoverDecision decision =
        FailoverDecision.decide(
            DEAD,
            AUTOMATIC,
            new FailoverDecision.FleetHealth(10, 2, false),
            List.of(bot("standby", "binance", BotStatus.STANDBY, Control.ACTIVE, true)));

    assertThat(decision.outcome()).isEqualTo(FailoverDecision.Outcome.FAIL_OVER);
  }

  @Test
  void aMassSilenceEscalatesWhateverTheCounts() {
    FailoverDecision decision =
        FailoverDecision.decide(
            DEAD,
            AUTOMATIC,
            new FailoverDecision.FleetHealth(100, 1, true),
            List.of(bot("standby", "binance", BotStatus.STANDBY, Control.ACTIVE, true)));

    assertThat(decision.outcome()).isEqualTo(FailoverDecision.Outcome.ESCALATE);
    assertThat(decision.reason()).startsWith("mass_silence");
  }

  @Test
  void noConnectedStandbyEscalates() {
    FailoverDecision decision =
        FailoverDecision.decide(
            DEAD,
            AUTOMATIC,
            new FailoverDecision.FleetHealth(12, 1, false),
            List.of(bot("pending-standby", "binance", BotStatus.PENDING, Control.ACTIVE, true)));

    assertThat(decision.outcome()).isEqualTo(FailoverDecision.Outcome.ESCALATE);
    assertThat(decision.reason()).startsWith("no_standby");
  }

  @Test
  void aBotThatWasPausedOrStoppedHasNothingToHandOver() {
    Bot paused = bot("spot-arb-02", "binance", BotStatus.DEAD, Control.PAUSED, false);

    FailoverDecision decision =
        FailoverDecision.decide(
            paused, AUTOMATIC, new FailoverDecision.FleetHealth(12, 1, false), List.of());

    assertThat(decision.outcome()).isEqualTo(FailoverDecision.Outcome.NONE);
  }
}
