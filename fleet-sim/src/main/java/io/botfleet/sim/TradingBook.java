package io.botfleet.sim;

import io.botfleet.sdk.Fill;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One simulated bot's trading day: PnL as a random walk while positions are open plus the edge of
 * each trade, trades arriving as a Poisson process, drawdown from the day's peak, positions and
 * orders drifting in their strategy's range, occasional errors, latency with jitter and spikes. The
 * day (PnL, peak, trades) restarts at UTC midnight, as the guide's metrics do. Time runs {@code
 * activity} times faster than the clock so that a demo shows movement; the day boundary does not.
 * Not thread-safe: {@link SimulatedBot} guards it.
 */
final class TradingBook {

  private static final double SECONDS_PER_DAY = 86_400;

  private final BotProfile profile;
  private final StrategyModel model;
  private final SplittableRandom random;
  private final double capital;
  private final double activity;
  private final double baseLatencyMs;
  private LocalDate day;
  private Instant last;
  private double pnl;
  private double peak;
  private long trades;
  private int positions;
  private int orders;
  private long errors;
  private double memoryMb;
  private long fillCounter;
  private double latencyOverrideMs;
  private Instant latencyOverrideUntil = Instant.MIN;

  TradingBook(BotProfile profile, SplittableRandom random, double activity, Instant now) {
    this.profile = profile;
    this.model = StrategyModel.of(profile.strategy());
    this.random = random;
    this.capital = profile.maxPositionUsd().doubleValue();
    this.activity = activity;
    this.baseLatencyMs =
        switch (profile.exchange()) {
          case "okx" -> 45;
          case "bybit" -> 38;
          case "deribit" -> 30;
          default -> 25;
        };
    this.day = LocalDate.ofInstant(now, ZoneOffset.UTC);
    this.last = now;
    this.memoryMb = model.memoryMb() * (0.9 + 0.2 * random.nextDouble());
    this.positions = profile.standby() ? 0 : between(model.positions());
    this.orders = profile.standby() ? 0 : between(model.orders());
  }

  /**
   * Moves the day forward to {@code now}.
   *
   * @param mayOpen false while paused, stopped, in safe mode or dormant: no new trades
   * @return the fills of the trades made meanwhile
   */
  List<Fill> advance(Instant now, boolean mayOpen) {
    List<Fill> fills = new ArrayList<>();
    if (!now.isAfter(last)) {
      return fills;
    }
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    if (!today.equals(day)) {
      // The time before midnight belongs to the old day; the new one starts from zero.
      Instant midnight = today.atStartOfDay(ZoneOffset.UTC).toInstant();
      step(midnight, mayOpen, fills);
      day = today;
      pnl = 0;
      peak = 0;
      trades = 0;
    }
    step(now, mayOpen, fills);
    return fills;
  }

  private void step(Instant until, boolean mayOpen, List<Fill> fills) {
    double seconds = Math.max(0, (until.toEpochMilli() - last.toEpochMilli()) / 1000.0) * activity;
    last = until;
    if (seconds == 0) {
      return;
    }
    if (positions > 0) {
      double sd = capital * model.dailyVolPct() / 100 * Math.sqrt(seconds / SECONDS_PER_DAY);
      pnl += random.nextGaussian() * sd;
    }
    if (mayOpen) {
      long count = poisson(model.tradesPerDay() * seconds / SECONDS_PER_DAY);
      for (long i = 0; i < count; i++) {
        pnl += model.edgeUsd() + random.nextGaussian() * model.edgeSdUsd();
        trades++;
        fills.add(fill(until));
      }
      positions = drift(positions, model.positions());
      orders = drift(orders, model.orders());
    }
    peak = Math.max(peak, pnl);
    errors += poisson(model.errorsPerDay() * seconds / SECONDS_PER_DAY);
    memoryMb += random.nextGaussian() * 2;
    memoryMb = Math.max(model.memoryMb() * 0.7, Math.min(model.memoryMb() * 1.5, memoryMb));
  }

  BigDecimal pnlUsd() {
    return BigDecimal.valueOf(pnl).setScale(2, RoundingMode.HALF_EVEN);
  }

  double drawdownPct() {
    return Math.min(100, Math.max(0, (peak - pnl) / capital * 100));
  }

  long trades() {
    return trades;
  }

  int positions() {
    return positions;
  }

  int orders() {
    return orders;
  }

  double memoryMb() {
    return memoryMb;
  }

  double cpuPct(boolean trading) {
    double base = trading ? model.cpuPct() : model.cpuPct() / 4;
    return Math.max(0.5, base * (0.7 + 0.6 * random.nextDouble()));
  }

  /** Round trip to the exchange: the exchange's base, lognormal jitter, a rare spike. */
  double latencyMs(Instant now) {
    if (now.isBefore(latencyOverrideUntil)) {
      return latencyOverrideMs * (0.9 + 0.2 * random.nextDouble());
    }
    double latency = baseLatencyMs * Math.exp(random.nextGaussian() * 0.35);
    if (random.nextDouble() < 0.01) {
      latency *= 5 + random.nextDouble() * 10;
    }
    return latency;
  }

  /** Errors since the previous heartbeat; the count starts again. */
  long takeErrors() {
    long taken = errors;
    errors = 0;
    return taken;
  }

  /** The strategy's own metrics. */
  java.util.Map<String, Double> custom() {
    return switch (profile.strategy()) {
      case "delta-neutral-mm" ->
          java.util.Map.of(
              "delta_exposure", round(random.nextGaussian() * 0.12),
              "vega_exposure_usd", round(positions * (150 + random.nextDouble() * 100)));
      case "trend-following-perps" ->
          java.util.Map.of("fill_rate", round(0.85 + random.nextDouble() * 0.13));
      default -> java.util.Map.of("spread_capture_bps", round(1.5 + random.nextGaussian() * 0.6));
    };
  }

  // ---- what commands and faults do ----

  /** Cancels every resting order; returns how many. */
  int cancelOrders() {
    int cancelled = orders;
    orders = 0;
    return cancelled;
  }

  /** Closes every position at market (a little slippage); returns how many. */
  int closePositions(Instant now, List<Fill> fills) {
    int closed = positions;
    for (int i = 0; i < closed; i++) {
      pnl -= Math.abs(random.nextGaussian()) * model.edgeSdUsd() / 2;
      trades++;
      fills.add(fill(now));
    }
    positions = 0;
    peak = Math.max(peak, pnl);
    return closed;
  }

  /** A sudden loss that leaves the day's drawdown at {@code pct} percent. */
  void spikeDrawdown(double pct) {
    peak = Math.max(peak, pnl);
    pnl = peak - capital * pct / 100;
  }

  void addErrors(long count) {
    errors += count;
  }

  void latencyFor(double ms, Instant until) {
    latencyOverrideMs = ms;
    latencyOverrideUntil = until;
  }

  /** Takes over positions (failover of a stateful bot). */
  void adoptPositions(int count) {
    positions = Math.max(positions, count);
  }

  private Fill fill(Instant now) {
    StrategyModel.Instrument instrument = model.pairs().get(random.nextInt(model.pairs().size()));
    double price = instrument.price() * (1 + random.nextGaussian() * 0.002);
    double size = instrument.size() * (0.5 + random.nextDouble());
    double fee = price * size * model.feeRate();
    boolean usd = instrument.feeCurrency().equals("USDT");
    BigDecimal feeUsd =
        usd
            ? null
            : BigDecimal.valueOf(fee * instrument.feeCurrencyUsd())
                .setScale(4, RoundingMode.HALF_EVEN);
    return new Fill(
        profile.name() + "-" + now.toEpochMilli() + "-" + fillCounter++,
        profile.exchange(),
        instrument.name(),
        random.nextBoolean() ? Fill.Side.BUY : Fill.Side.SELL,
        BigDecimal.valueOf(size).setScale(6, RoundingMode.HALF_EVEN),
        BigDecimal.valueOf(price).setScale(price < 1 ? 6 : 2, RoundingMode.HALF_EVEN),
        BigDecimal.valueOf(fee).setScale(usd ? 4 : 8, RoundingMode.HALF_EVEN),
        instrument.feeCurrency(),
        feeUsd,
        now,
        null);
  }

  private long poisson(double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 30) {
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
    }
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    long count = 0;
    while (product > limit) {
      product *= random.nextDouble();
      count++;
    }
    return count;
  }

  private int between(int[] range) {
    return range[0] + random.nextInt(range[1] - range[0] + 1);
  }

  /** A step of at most one towards a random point of the range. */
  private int drift(int value, int[] range) {
    if (random.nextDouble() > 0.3) {
      return value;
    }
    int target = between(range);
    return value + Integer.signum(target - value);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
