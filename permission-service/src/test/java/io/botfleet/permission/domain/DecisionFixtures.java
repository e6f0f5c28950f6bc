package io.botfleet.permission.domain;

import static io.botfleet.permission.domain.TestCatalogs.GUIDE;
import static io.botfleet.permission.domain.TestCatalogs.assignment;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The policies, contexts and assertions the decision tests share. */
final class DecisionFixtures {

  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  static final PermissionDecider DECIDER = PermissionDecider.of(GUIDE);

  /** The guide's spot-arb restrictions. */
  static final Restrictions SPOT_ARB =
      new Restrictions(
          new BigDecimal("5000"),
          null,
          List.of("BTC/USDT", "ETH/USDT", "SOL/USDT"),
          List.of(),
          null,
          List.of());

  /** The guide's options-mm restrictions. */
  static final Restrictions OPTIONS_MM =
      new Restrictions(
          new BigDecimal("25000"),
          null,
          List.of(),
          List.of("BTC-*-C", "BTC-*-P", "ETH-*-C", "ETH-*-P").stream()
              .map(InstrumentPattern::parse)
              .toList(),
          new BigDecimal("0.5"),
          List.of());

  private DecisionFixtures() {}

  static BotPolicy policy(String tier, Restrictions restrictions) {
    return BotPolicy.of(assignment(tier, restrictions), GUIDE);
  }

  static BotPolicy suspended(BotPolicy policy, SuspensionMode mode) {
    return new BotPolicy(
        policy.agentId(),
        policy.exchange(),
        policy.tier(),
        policy.granted(),
        policy.baseTier(),
        policy.baseGranted(),
        policy.escalationEndsAt(),
        policy.denied(),
        policy.restrictions(),
        policy.allowedPairs(),
        mode);
  }

  static Decision decide(BotPolicy bot, String action, CheckContext context) {
    return DECIDER.decide(bot, action, context, NOW);
  }

  static CheckContext order(String pair, String size) {
    return new CheckContext("binance", pair, "", decimal(size), false, null, null);
  }

  static CheckContext reduceOnly(String size, String positionAfter) {
    return new CheckContext(
        "binance", "BTC/USDT", "", decimal(size), true, decimal(positionAfter), null);
  }

  static CheckContext option(String instrument, String size, String delta) {
    return new CheckContext("binance", "", instrument, decimal(size), false, null, decimal(delta));
  }

  static BigDecimal decimal(String text) {
    return text == null ? null : new BigDecimal(text);
  }

  static void assertDecision(Decision decision, boolean allowed, DecisionRule rule) {
    assertThat(decision.allowed()).as(decision.reason()).isEqualTo(allowed);
    assertThat(decision.rule()).as(decision.reason()).isEqualTo(rule);
    assertThat(decision.reason()).isNotBlank();
  }
}
