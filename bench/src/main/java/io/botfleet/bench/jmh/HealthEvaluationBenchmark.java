package io.botfleet.bench.jmh;

import io.botfleet.health.domain.BotState;
import io.botfleet.health.domain.Evaluation;
import io.botfleet.health.domain.FieldError;
import io.botfleet.health.domain.HealthEvaluator;
import io.botfleet.health.domain.HealthPolicy;
import io.botfleet.health.domain.Heartbeat;
import io.botfleet.health.domain.HeartbeatCheck;
import io.botfleet.health.domain.HeartbeatOutcome;
import io.botfleet.health.domain.TrackedBot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * health-service's in-process work on one heartbeat, as HeartbeatService does it before the row
 * goes to the writer: the range checks ({@link HeartbeatCheck}), the guide's evaluation under the
 * group's policy ({@link HealthEvaluator}) and the bot's state change with its events and alerts
 * ({@link BotState#heartbeat}). 10,000 bots in turn, each heartbeat a new sequence; most bots are
 * healthy, some elevated or high on latency, drawdown or errors, so statuses change, alerts are
 * raised and resolved as in a real fleet. Not included: gRPC, the signature (verified once per
 * stream) and the database write (batched by the writer): the load generator measures those.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(1)
public class HealthEvaluationBenchmark {

  static final int BOTS = 10_000;
  static final int SHAPES = 1 << 12;

  BotState[] bots;
  long[] sequences;
  double[][] shapes;
  HealthPolicy policy;
  BotState.Liveness liveness;
  Instant started;
  int next;

  @Setup
  public void setUp() {
    policy = HealthPolicy.GUIDE_DEFAULTS;
    started = Instant.now();
    liveness = new BotState.Liveness(started, policy.deadAfter().orElseThrow());
    bots = new BotState[BOTS];
    sequences = new long[BOTS];
    for (int i = 0; i < BOTS; i++) {
      String id = String.format("bot-%016x", i + 1L);
      bots[i] =
          new BotState(new TrackedBot(id, id, "spot-arb", "binance", "arb", false, started), null);
    }
    // Latency ms, drawdown %, errors: 90 % healthy, 7 % elevated, 3 % high.
    SplittableRandom random = new SplittableRandom(7);
    shapes = new double[SHAPES][];
    for (int i = 0; i < SHAPES; i++) {
      int roll = random.nextInt(100);
      shapes[i] =
          roll < 90
              ? new double[] {40 + random.nextInt(200), random.nextDouble() * 3, 0}
              : roll < 97
                  ? new double[] {1500 + random.nextInt(2000), 6, 4}
                  : new double[] {6000, 12, 20};
    }
  }

  @Benchmark
  public HeartbeatOutcome heartbeat() {
    int i = next++;
    int bot = i % BOTS;
    double[] shape = shapes[i & (SHAPES - 1)];
    Instant now = Instant.now();
    Heartbeat heartbeat =
        new Heartbeat(
            ++sequences[bot],
            now,
            "2.4.1",
            3600 + i / BOTS,
            shape[0],
            "1234.56",
            shape[1],
            120,
            3,
            7,
            512,
            35,
            (long) shape[2],
            Map.of());
    List<FieldError> problems = HeartbeatCheck.problems(heartbeat, now);
    if (!problems.isEmpty()) {
      throw new IllegalStateException("the benchmark's heartbeat is malformed: " + problems);
    }
    Evaluation evaluation = HealthEvaluator.evaluate(heartbeat, policy);
    return bots[bot].heartbeat(
        heartbeat, evaluation, now, liveness, Duration.ofSeconds(60), Duration.ofSeconds(60));
  }
}
