package io.botfleet.health.domain;

import static io.botfleet.health.domain.TestHeartbeats.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeartbeatCheckTest {

  @Test
  void theGuidesExampleHeartbeatIsWellFormed() {
    assertThat(HeartbeatCheck.problems(TestHeartbeats.guide(1), NOW)).isEmpty();
  }

  @Test
  void everyFieldOutOfRangeIsNamedAtOnce() {
    Heartbeat bad =
        new Heartbeat(
            0, null, "", -1, Double.NaN, "12,50", 140, -3, -1, -2, 2_000_000, 7000, -1, Map.of());

    List<String> fields =
        HeartbeatCheck.problems(bad, NOW).stream().map(FieldError::field).toList();

    assertThat(fields)
        .containsExactly(
            "sequence",
            "heartbeat_time",
            "version",
            "uptime_seconds",
            "heartbeat_latency_ms",
            "pnl_usd",
            "drawdown_pct",
            "trade_count",
            "open_positions",
            "open_orders",
            "memory_mb",
            "cpu_pct",
            "error_count");
  }

  @Test
  void aDescriptionSaysTheRangeAndTheValue() {
    Heartbeat bad = new Heartbeat(1, NOW, "2.4.1", 1, 45, "1", 140, 0, 0, 0, 1, 1, 0, Map.of());

    assertThat(HeartbeatCheck.problems(bad, NOW))
        .containsExactly(new FieldError("drawdown_pct", "must be between 0 and 100, got 140"));
  }

  @Test
  void infinityAndAbsurdCountersAreRefused() {
    Heartbeat bad =
        new Heartbeat(
            1,
            NOW,
            "2.4.1",
            1,
            Double.POSITIVE_INFINITY,
            "1",
            1,
            5_000_000_000L,
            0,
            0,
            1,
            1,
            0,
            Map.of());

    assertThat(HeartbeatCheck.problems(bad, NOW))
        .extracting(FieldError::field)
        .containsExactly("heartbeat_latency_ms", "trade_count");
  }

  @Test
  void pnlIsAnExactDecimalStringAndMayBeNegative() {
    for (String ok : List.of("0", "-1234.5", "234.50", "999999999999.12345678")) {
      assertThat(HeartbeatCheck.problems(withPnl(ok), NOW)).as(ok).isEmpty();
    }
    for (String bad : List.of("", "1e5", "NaN", "12.123456789", "+3", " 1", "1234567890123")) {
      assertThat(HeartbeatCheck.problems(withPnl(bad), NOW))
          .as(bad)
          .extracting(FieldError::field)
          .containsExactly("pnl_usd");
    }
  }

  @Test
  void aSampleFromTheFutureOrTheDistantPastIsRefused() {
    assertThat(HeartbeatCheck.problems(at(NOW.plusSeconds(61)), NOW))
        .extracting(FieldError::field)
        .containsExactly("heartbeat_time");
    assertThat(HeartbeatCheck.problems(at(NOW.minusSeconds(3601)), NOW))
        .extracting(FieldError::field)
        .containsExactly("heartbeat_time");
    assertThat(HeartbeatCheck.problems(at(NOW.plusSeconds(30)), NOW)).isEmpty();
  }

  @Test
  void customMetricsNeedGoodNamesFiniteValuesAndAtMost32() {
    Map<String, Double> custom = new HashMap<>();
    custom.put("spread_bps", 1.5);
    custom.put("Delta", 0.3);
    custom.put("fill_rate", Double.NaN);
    assertThat(HeartbeatCheck.problems(withCustom(custom), NOW))
        .extracting(FieldError::field)
        .containsExactly("custom_metrics[Delta]", "custom_metrics[fill_rate]");

    Map<String, Double> many = new HashMap<>();
    for (int i = 0; i < 33; i++) {
      many.put("m" + i, 1.0);
    }
    assertThat(HeartbeatCheck.problems(withCustom(many), NOW))
        .extracting(FieldError::field)
        .containsExactly("custom_metrics");
  }

  private static Heartbeat withPnl(String pnl) {
    return new Heartbeat(1, NOW, "2.4.1", 1, 45, pnl, 1, 0, 0, 0, 1, 1, 0, Map.of());
  }

  private static Heartbeat at(java.time.Instant time) {
    return new Heartbeat(1, time, "2.4.1", 1, 45, "1", 1, 0, 0, 0, 1, 1, 0, Map.of());
  }

  private static Heartbeat withCustom(Map<String, Double> custom) {
    return new Heartbeat(1, NOW, "2.4.1", 1, 45, "1", 1, 0, 0, 0, 1, 1, 0, custom);
  }
}
