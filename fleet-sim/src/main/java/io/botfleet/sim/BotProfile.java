package io.botfleet.sim;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Who a simulated bot is: the guide's registration fields.
 *
 * @param name unique name, e.g. {@code spot-arb-01}
 * @param group group, e.g. {@code spot-arb}
 * @param exchange exchange, e.g. {@code binance}
 * @param strategy strategy, e.g. {@code cross-exchange-arb}
 * @param version the version it runs at start
 * @param maxPositionUsd its capital: the largest position it may hold
 * @param standby a dormant standby: no trading and no heartbeats until assume_responsibility
 */
public record BotProfile(
    String name,
    String group,
    String exchange,
    String strategy,
    String version,
    BigDecimal maxPositionUsd,
    boolean standby) {

  public BotProfile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(maxPositionUsd, "maxPositionUsd");
  }

  BotProfile asStandby() {
    return new BotProfile(name, group, exchange, strategy, version, maxPositionUsd, true);
  }
}
