package io.botfleet.health.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Function;

/**
 * A fleet on a simulated clock: bots heartbeat on their own schedules, the detector ticks every 100
 * ms, and every decision is recorded. Deterministic (seeded), so a storm can be replayed.
 */
final class FleetSimulation implements DeadBotDetector.Fleet, DeadBotDetector.Sink {

  static final Instant START = Instant.parse("2026-11-25T00:00:00Z");
  static final long TICK = 100;

  private record Beat(long at, String botId) {}

  final Map<String, BotState> bots = new LinkedHashMap<>();
  final Map<String, Long> deaths = new HashMap<>();
  final Map<String, Long> deadlinesAtDeath = new HashMap<>();
  final List<HealthEvent> fleetEvents = new ArrayList<>();
  final Random random = new Random(42);
  final Duration deadAfter;
  final DeadBotDetector detector;
  Function<List<String>, Map<String, Instant>> elsewhere = ids -> Map.of();
  long now;

  private final PriorityQueue<Beat> beats =
      new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
  private final Map<String, Long> sequences = new HashMap<>();

  FleetSimulation(int size, Duration deadAfter) {
    this.deadAfter = deadAfter;
    this.now = START.toEpochMilli();
    for (int i = 0; i < size; i++) {
      String id = "bot-" + i;
      bots.put(id, new BotState(new TrackedBot(id, id, "g", "x", "s", false, START), null));
    }
    detector = new DeadBotDetector(new MassSilenceRule(0.2, 3), START);
    detector.rebuild(this);
  }

  /** Drops every heartbeat of {@code ids} scheduled at or after {@code from} (they crashed). */
  void silence(java.util.Set<String> ids, long from) {
    beats.removeIf(b -> ids.contains(b.botId()) && b.at() >= from);
  }

  /** Schedules a heartbeat of {@code botId} at {@code at} (epoch ms). */
  void beatAt(String botId, long at) {
    beats.add(new Beat(at, botId));
  }

  /** Every bot heartbeats every {@code interval} from a random phase until {@code until}. */
  void heartbeatAll(long from, long until, long interval) {
    for (String id : bots.keySet()) {
      heartbeat(id, from + (long) (random.nextDouble() * interval), until, interval);
    }
  }

  void heartbeat(String id, long from, long until, long interval) {
    for (long t = from; t < until; t += interval) {
      beatAt(id, t);
    }
  }

  /** Runs the clock to {@code until}: heartbeats as scheduled, a detector tick every 100 ms. */
  void runUntil(long until) {
    while (now < until) {
      now += TICK;
      while (!beats.isEmpty() && beats.peek().at() <= now) {
        Beat beat = beats.poll();
        deliver(beat.botId(), beat.at());
      }
      detector.tick(now, this, elsewhere, this);
    }
  }

  long at(Duration sinceStart) {
    return START.toEpochMilli() + sinceStart.toMillis();
  }

  long countFleet(HealthEventType type) {
    return fleetEvents.stream().filter(e -> e.type() == type).count();
  }

  private void deliver(String botId, long at) {
    long seq = sequences.merge(botId, 1L, Long::sum);
    Heartbeat heartbeat =
        new Heartbeat(
            seq, Instant.ofEpochMilli(at), "1.0.0", seq, 40, "10", 1, 1, 0, 0, 100, 5, 0, Map.of());
    BotState state = bots.get(botId);
    synchronized (state) {
      List<HealthEvent> events =
          state
              .heartbeat(
                  heartbeat,
                  HealthEvaluator.evaluate(heartbeat, HealthPolicy.GUIDE_DEFAULTS),
                  Instant.ofEpochMilli(at),
                  new BotState.Liveness(detector.graceStart(), deadAfter),
                  Duration.ofMinutes(1),
                  Duration.ofMinutes(1))
              .events();
      if (events.stream().anyMatch(e -> e.type() == HealthEventType.BOT_RECOVERED)) {
        detector.watch(botId, this);
      }
    }
  }

  @Override
  public Collection<BotState> bots() {
    return bots.values();
  }

  @Override
  public Optional<BotState> find(String botId) {
    return Optional.ofNullable(bots.get(botId));
  }

  @Override
  public Duration deadAfter(BotState state) {
    return deadAfter;
  }

  @Override
  public void dead(BotState state, List<HealthEvent> events, long deadline) {
    deaths.put(state.botId(), now);
    deadlinesAtDeath.put(state.botId(), deadline);
  }

  @Override
  public void fleet(List<HealthEvent> events) {
    fleetEvents.addAll(events);
  }
}
