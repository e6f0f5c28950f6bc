package io.botfleet.health.domain;

import java.time.Instant;
import java.util.Map;

/** Test data: the guide's example heartbeat and variations of it. */
final class TestHeartbeats {

  static final Instant NOW = Instant.parse("2026-04-07T14:00:00Z");

  private TestHeartbeats() {}

  /** The guide's example metrics (chapter 5): healthy. */
  static Heartbeat guide(long sequence) {
    return new Heartbeat(
        sequence, NOW, "2.4.1", 86400, 45, "234.50", 1.2, 47, 3, 6, 512, 15.3, 0, Map.of());
  }

  static Heartbeat with(
      long sequence, double drawdown, double latency, long errors, double memory) {
    return new Heartbeat(
        sequence,
        NOW.plusSeconds(sequence),
        "2.4.1",
        86400,
        latency,
        "234.50",
        drawdown,
        47,
        3,
        6,
        memory,
        15.3,
        errors,
        Map.of());
  }
}
