package io.botfleet.sim;

import java.util.List;

/**
 * How a strategy's numbers behave over a (simulated) day. Figures are plausible for the guide's
 * three strategies, not calibrated to any market.
 *
 * @param tradesPerDay mean trades per day (Poisson)
 * @param edgeUsd mean PnL of one trade, USD
 * @param edgeSdUsd its standard deviation, USD
 * @param dailyVolPct standard deviation of mark-to-market PnL over a day, percent of capital, while
 *     positions are open
 * @param positions typical open positions (min, max)
 * @param orders typical open orders (min, max)
 * @param memoryMb typical resident memory
 * @param cpuPct typical CPU use
 * @param errorsPerDay mean errors per day (rejected orders, timeouts)
 * @param pairs instruments it trades, with a reference price each
 * @param feeRate taker fee as a fraction of notional (negative: maker rebate)
 */
record StrategyModel(
    double tradesPerDay,
    double edgeUsd,
    double edgeSdUsd,
    double dailyVolPct,
    int[] positions,
    int[] orders,
    double memoryMb,
    double cpuPct,
    double errorsPerDay,
    List<Instrument> pairs,
    double feeRate) {

  /**
   * An instrument with a reference price and a typical order size.
   *
   * @param name e.g. BTC/USDT
   * @param price reference price in the quote currency
   * @param size typical order size in the base asset
   * @param feeCurrency the currency fees are charged in
   * @param feeCurrencyUsd USD per unit of the fee currency
   */
  record Instrument(
      String name, double price, double size, String feeCurrency, double feeCurrencyUsd) {}

  static StrategyModel of(String strategy) {
    return switch (strategy) {
      case "trend-following-perps" ->
          new StrategyModel(
              25,
              9,
              60,
              1.5,
              new int[] {0, 3},
              new int[] {0, 2},
              450,
              8,
              6,
              List.of(
                  new Instrument("BTC-PERP", 64000, 0.05, "USDT", 1),
                  new Instrument("ETH-PERP", 3200, 1, "USDT", 1)),
              0.0005);
      case "delta-neutral-mm" ->
          new StrategyModel(
              300,
              2,
              8,
              0.6,
              new int[] {4, 16},
              new int[] {10, 40},
              850,
              35,
              15,
              List.of(
                  new Instrument("BTC-27DEC26-80000-C", 0.042, 0.5, "BTC", 64000),
                  new Instrument("ETH-27DEC26-4000-P", 0.051, 5, "ETH", 3200)),
              0.0003);
      default ->
          new StrategyModel(
              150,
              1.5,
              3,
              0.2,
              new int[] {0, 2},
              new int[] {2, 6},
              320,
              15,
              4,
              List.of(
                  new Instrument("BTC/USDT", 64000, 0.02, "USDT", 1),
                  new Instrument("ETH/USDT", 3200, 0.3, "USDT", 1),
                  new Instrument("SOL/USDT", 150, 8, "USDT", 1)),
              0.001);
    };
  }
}
