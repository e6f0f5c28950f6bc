package io.botfleet.permission.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The guide's tiers (as migration V1 has them) and builders of assignments, for plain tests. */
final class TestCatalogs {

  static final TierCatalog GUIDE =
      TierCatalog.of(
          Map.of("read_only", 1, "trade", 2, "withdraw", 3, "admin", 4),
          Map.of(
              "read_only",
              List.of(
                  "read_orderbook",
                  "read_positions",
                  "read_balances",
                  "read_trade_history",
                  "report_metrics",
                  "receive_commands"),
              "trade",
              List.of("place_order", "cancel_order", "modify_order"),
              "withdraw",
              List.of("withdraw_funds", "transfer_between_accounts"),
              "admin",
              List.of("modify_api_keys", "modify_account_settings", "register_sub_accounts")),
          Map.of(
              "read_only", Map.of("binance", Map.of("enableReading", true)),
              "trade", Map.of("binance", Map.of("enableReading", true)),
              "withdraw", Map.of("binance", Map.of("enableWithdrawals", true))));

  private TestCatalogs() {}

  /** A binance bot of a tier with restrictions, not suspended, not escalated. */
  static Assignment assignment(String tier, Restrictions restrictions) {
    return new Assignment(
        "bot-1",
        "spot-arb-01",
        "spot-arb",
        BotRole.TRADING_BOT,
        "binance",
        tier,
        tier,
        null,
        null,
        restrictions,
        "op-1",
        Instant.parse("2026-11-25T10:00:00Z"),
        null);
  }

  static Restrictions restrictions(RestrictionsInput input, String tier) {
    return input.validate(GUIDE.get(tier), GUIDE.actions(), "restrictions");
  }
}
