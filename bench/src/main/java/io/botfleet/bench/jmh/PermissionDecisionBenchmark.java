package io.botfleet.bench.jmh;

import io.botfleet.permission.domain.Assignment;
import io.botfleet.permission.domain.BotPolicy;
import io.botfleet.permission.domain.BotRole;
import io.botfleet.permission.domain.CheckContext;
import io.botfleet.permission.domain.Decision;
import io.botfleet.permission.domain.InstrumentPattern;
import io.botfleet.permission.domain.PermissionDecider;
import io.botfleet.permission.domain.Restrictions;
import io.botfleet.permission.domain.Suspension;
import io.botfleet.permission.domain.SuspensionMode;
import io.botfleet.permission.domain.TierCatalog;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The permission decision alone, as CheckService makes it: the lookup of the bot's policy among
 * 10,000 in a concurrent map, then {@link PermissionDecider#decide}, over the same fleet and check
 * mix as the gRPC benchmark (spot bots with the guide's spot-arb restrictions, options bots with
 * options-mm's, one in ten paused; orders within and beyond the limits, reads, cancels). Sample
 * time mode gives the distribution of single decisions.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(1)
public class PermissionDecisionBenchmark {

  static final int BOTS = 10_000;
  static final int CHECKS = 1 << 16;

  Map<String, BotPolicy> policies;
  PermissionDecider decider;
  String[] agents;
  String[] actions;
  CheckContext[] contexts;
  int next;

  @Setup
  public void setUp() {
    TierCatalog catalog =
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
            Map.of());
    Restrictions spot =
        new Restrictions(
            new BigDecimal("5000"),
            null,
            List.of("BTC/USDT", "ETH/USDT", "SOL/USDT"),
            List.of(),
            null,
            List.of());
    Restrictions options =
        new Restrictions(
            new BigDecimal("25000"),
            null,
            List.of(),
            List.of("BTC-*-C", "BTC-*-P", "ETH-*-C", "ETH-*-P").stream()
                .map(InstrumentPattern::parse)
                .toList(),
            new BigDecimal("0.5"),
            List.of());
    Map<String, BotPolicy> fleet = new HashMap<>();
    agents = new String[BOTS];
    for (int i = 0; i < BOTS; i++) {
      String agent = String.format("bot-bench%011d", i);
      agents[i] = agent;
      boolean optionsBot = i % 2 == 1;
      Suspension paused =
          i % 10 == 0
              ? new Suspension(SuspensionMode.PAUSED, "bench", "svc-fleet", Instant.now(), null)
              : null;
      Assignment assignment =
          new Assignment(
              agent,
              agent,
              optionsBot ? "options-mm" : "spot-arb",
              BotRole.TRADING_BOT,
              optionsBot ? "deribit" : "binance",
              "trade",
              "trade",
              null,
              null,
              optionsBot ? options : spot,
              "svc-fleet",
              Instant.now(),
              paused);
      fleet.put(agent, BotPolicy.of(assignment, catalog));
    }
    policies = new ConcurrentHashMap<>(fleet);
    decider = PermissionDecider.of(catalog);
    SplittableRandom random = new SplittableRandom(42);
    String[] chosen = new String[CHECKS];
    actions = new String[CHECKS];
    contexts = new CheckContext[CHECKS];
    for (int i = 0; i < CHECKS; i++) {
      int bot = random.nextInt(BOTS);
      chosen[i] = agents[bot];
      boolean optionsBot = bot % 2 == 1;
      switch (random.nextInt(4)) {
        case 0, 1 -> {
          actions[i] = "place_order";
          boolean tooBig = random.nextBoolean() && random.nextBoolean();
          contexts[i] =
              optionsBot
                  ? new CheckContext(
                      "deribit",
                      "",
                      "BTC-27DEC26-100000-C",
                      new BigDecimal("2000"),
                      false,
                      null,
                      new BigDecimal(tooBig ? "0.8" : "0.2"))
                  : new CheckContext(
                      "binance",
                      "BTC/USDT",
                      "",
                      new BigDecimal(tooBig ? "6000" : "1000"),
                      false,
                      null,
                      null);
        }
        case 2 -> {
          actions[i] = "read_positions";
          contexts[i] = CheckContext.NONE;
        }
        default -> {
          actions[i] = "cancel_order";
          contexts[i] = CheckContext.NONE;
        }
      }
    }
    agents = chosen;
  }

  @Benchmark
  public Decision decide() {
    int i = next++ & (CHECKS - 1);
    return decider.decide(policies.get(agents[i]), actions[i], contexts[i], Instant.now());
  }
}
