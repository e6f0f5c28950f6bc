package io.botfleet.fleetctl.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.botfleet.health.v1.HealthEventType;
import io.botfleet.health.v1.HealthStatus;
import io.botfleet.health.v1.WatchHealthResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The live table of `health watch`: a row per bot, kept up to date by the events. */
class HealthWatchCommandTest {

  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void theSnapshotThenChangesKeepOneRowPerBotWorstFirst() {
    HealthWatchCommand watch = new HealthWatchCommand();
    watch.sort = "status";
    watch.apply(status("bot-a", "arb-01", HealthStatus.HEALTH_STATUS_HEALTHY, 0));
    watch.apply(status("bot-b", "arb-02", HealthStatus.HEALTH_STATUS_HEALTHY, 0));
    watch.apply(status("bot-c", "arb-03", HealthStatus.HEALTH_STATUS_WARNING, 0));
    watch.apply(
        status("bot-b", "arb-02", HealthStatus.HEALTH_STATUS_DEAD, 60).toBuilder()
            .setType(HealthEventType.HEALTH_EVENT_TYPE_BOT_DEAD)
            .build());
    watch.apply(
        WatchHealthResponse.newBuilder()
            .setType(HealthEventType.HEALTH_EVENT_TYPE_VERSION_CHANGED)
            .setBotId("bot-a")
            .setVersion("2.5.0")
            .setEventTime(at(90))
            .build());
    StringWriter text = new StringWriter();

    watch.table(T0.plusSeconds(120)).print(new PrintWriter(text));

    assertThat(text.toString().lines())
        .containsExactly(
            "BOT     GROUP  STATUS   SINCE  VERSION  ISSUES",
            "arb-02  arb    DEAD     1m     1.0.0    -",
            "arb-03  arb    warning  2m     1.0.0    -",
            "arb-01  arb    healthy  2m     2.5.0    -");
  }

  private static WatchHealthResponse status(
      String id, String name, HealthStatus status, long second) {
    return WatchHealthResponse.newBuilder()
        .setType(HealthEventType.HEALTH_EVENT_TYPE_STATUS_CHANGED)
        .setBotId(id)
        .setBotName(name)
        .setGroup("arb")
        .setStatus(status)
        .setVersion("1.0.0")
        .setEventTime(at(second))
        .build();
  }

  private static Timestamp at(long second) {
    return Timestamp.newBuilder().setSeconds(T0.getEpochSecond() + second).build();
  }
}
