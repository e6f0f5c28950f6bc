package io.botfleet.health.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.health.persistence.StorageRepository;
import io.botfleet.health.service.StorageMaintenance;
import io.botfleet.health.v1.DailyStat;
import io.botfleet.health.v1.GetDailyStatsRequest;
import io.botfleet.health.v1.GetFleetHealthDashboardRequest;
import io.botfleet.health.v1.GetFleetHealthDashboardResponse;
import io.botfleet.health.v1.GetHeartbeatHistoryRequest;
import io.botfleet.health.v1.GetHeartbeatHistoryResponse;
import io.botfleet.health.v1.GroupHealth;
import io.botfleet.health.v1.HeartbeatPoint;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class StorageAndReadsTest extends HealthTestSupport {

  private static final LocalDate YESTERDAY = LocalDate.now(ZoneOffset.UTC).minusDays(1);
  private static final Instant START = YESTERDAY.atTime(10, 0).toInstant(ZoneOffset.UTC);

  @Inject EntityManager entityManager;
  @Inject StorageMaintenance maintenance;
  @Inject StorageRepository storage;

  @Test
  void theDashboardHasTheGuidesFieldsWithExactPnlToTheCent() throws Exception {
    String spot = unique("spot-arb");
    String perp = unique("perp");
    report(trackedBot(spot), heartbeat(1).setPnlUsd("100.005"));
    report(trackedBot(spot), heartbeat(1).setPnlUsd("0.01").setDrawdownPct(12).setTradeCount(3));
    report(trackedBot(perp), heartbeat(1).setPnlUsd("-50.333").setTradeCount(10));
    trackedBot(perp); // never reported: unknown

    GetFleetHealthDashboardResponse dashboard =
        stub(operator())
            .getFleetHealthDashboard(GetFleetHealthDashboardRequest.getDefaultInstance());

    GroupHealth spotGroup = dashboard.getGroupsOrThrow(spot);
    assertThat(spotGroup.getTotalBots()).isEqualTo(2);
    assertThat(spotGroup.getStatusSummary().getHealthy()).isEqualTo(1);
    assertThat(spotGroup.getStatusSummary().getCritical()).isEqualTo(1);
    assertThat(spotGroup.getPnlUsd()).isEqualTo("100.02"); // 100.015, half-even
    assertThat(spotGroup.getTradeCount()).isEqualTo(50);
    GroupHealth perpGroup = dashboard.getGroupsOrThrow(perp);
    assertThat(perpGroup.getStatusSummary().getUnknown()).isEqualTo(1);
    assertThat(perpGroup.getPnlUsd()).isEqualTo("-50.33");
    assertThat(dashboard.getFleetPnlUsd()).matches("-?[0-9]+\\.[0-9]{2}");
    assertThat(dashboard.getTotalBots())
        .isEqualTo(
            dashboard.getStatusSummary().getHealthy()
                + dashboard.getStatusSummary().getWarning()
                + dashboard.getStatusSummary().getCritical()
                + dashboard.getStatusSummary().getDead()
                + dashboard.getStatusSummary().getUnknown());
    assertThat(dashboard.hasTimestamp()).isTrue();
  }

  @Test
  void historyIsRawWhenItFitsAndDownsampledWhenNot() {
    String botId = threeHoursOfHeartbeats();
    TestPrincipal viewer = operator();

    GetHeartbeatHistoryResponse raw = history(viewer, botId, START, START.plusSeconds(600), 1000);
    assertThat(raw.getResolution().getSeconds()).isZero();
    assertThat(raw.getPointsList()).hasSize(599);
    assertThat(raw.getPoints(0).getHeartbeat().getSequence()).isEqualTo(1);

    GetHeartbeatHistoryResponse seconds =
        history(viewer, botId, START, START.plusSeconds(600), 100);
    assertThat(seconds.getResolution().getSeconds()).isEqualTo(6);
    assertThat(seconds.getPointsList()).hasSizeLessThanOrEqualTo(100);
    assertThat(seconds.getPointsList().stream().mapToInt(HeartbeatPoint::getSamples).sum())
        .isEqualTo(599);

    rollUpEverything();
    GetHeartbeatHistoryResponse minutes =
        history(viewer, botId, START, START.plusSeconds(3 * 3600), 100);
    assertThat(minutes.getResolution().getSeconds()).isEqualTo(120);
    assertThat(minutes.getPointsList()).hasSize(90);
    assertThat(minutes.getPointsList().stream().mapToInt(HeartbeatPoint::getSamples).sum())
        .isEqualTo(10_800 - 1);
    HeartbeatPoint first = minutes.getPoints(0);
    assertThat(first.getHeartbeat().getTradeCount()).isEqualTo(119); // last value of the bucket
    assertThat(first.getHeartbeat().getHeartbeatLatencyMs()).isEqualTo(49); // the maximum
  }

  @Test
  void dailyStatsCarryTheDaysLastPnlAndTradesErrorsUptimeAndDrawdown() {
    String botId = threeHoursOfHeartbeats();
    rollUpEverything();

    List<DailyStat> stats =
        stub(operator())
            .getDailyStats(
                GetDailyStatsRequest.newBuilder()
                    .addBotIds(botId)
                    .setStartDate(YESTERDAY.toString())
                    .setEndDate(YESTERDAY.toString())
                    .build())
            .getStatsList();

    assertThat(stats).hasSize(1);
    DailyStat day = stats.get(0);
    assertThat(day.getDate()).isEqualTo(YESTERDAY.toString());
    assertThat(day.getPnlUsd()).isEqualTo("107.99"); // heartbeat 10,799 at 12:59:59
    assertThat(day.getTradeCount()).isEqualTo(10_799);
    assertThat(day.getErrorCount()).isEqualTo(17);
    assertThat(day.getMaxDrawdownPct()).isEqualTo(9.9);
    assertThat(day.getUptimePct()).isEqualTo(100.0);
  }

  @Test
  void partitionsPastTheRetentionAreDropped() {
    LocalDate old = LocalDate.now(ZoneOffset.UTC).minusDays(30);
    QuarkusTransaction.requiringNew().run(() -> storage.createPartition("heartbeats", old));
    assertThat(partitionExists("heartbeats_" + old.toString().replace("-", ""))).isTrue();

    maintenance.retention();

    assertThat(partitionExists("heartbeats_" + old.toString().replace("-", ""))).isFalse();
    assertThat(partitionExists("heartbeats_" + YESTERDAY.toString().replace("-", ""))).isTrue();
  }

  private void report(TestPrincipal bot, io.botfleet.health.v1.Heartbeat.Builder heartbeat)
      throws InterruptedException {
    BotStream stream = new BotStream(bot, channel);
    stream.send(heartbeat);
    assertThat(stream.next().getAccepted()).isTrue();
    stream.finish();
  }

  /** A bot tracked 10:00 to 13:00 yesterday, one heartbeat a second. Returns its id. */
  private String threeHoursOfHeartbeats() {
    String botId = unique("bot-history");
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              entityManager
                  .createNativeQuery(
                      "insert into tracked_bots (bot_id, bot_name, bot_group, tracked_at,"
                          + " untracked_at) values (:id, :id, 'history', :from, :to)")
                  .setParameter("id", botId)
                  .setParameter("from", utc(START))
                  .setParameter("to", utc(START.plusSeconds(3 * 3600)))
                  .executeUpdate();
              entityManager
                  .createNativeQuery(
                      "insert into heartbeats (bot_id, received_at, sequence, heartbeat_time,"
                          + " version, uptime_seconds, latency_ms, pnl_usd, drawdown_pct,"
                          + " trade_count, open_positions, open_orders, memory_mb, cpu_pct,"
                          + " error_count, status)"
                          + " select :id, t, n, t, '2.4.1', n, 40 + n % 10, n * 0.01,"
                          + " (n % 100) / 10.0, n, 1, 2, 500, 10,"
                          + " case when n % 600 = 0 then 1 else 0 end, 'healthy'"
                          + " from generate_series(1, 10799) n,"
                          + " lateral (select cast(:from as timestamptz) + n * interval '1 second' t) x")
                  .setParameter("id", botId)
                  .setParameter("from", utc(START))
                  .executeUpdate();
            });
    return botId;
  }

  private void rollUpEverything() {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                entityManager
                    .createNativeQuery(
                        "insert into rollup_progress (id, rolled_upto) values (1, :at)"
                            + " on conflict (id) do update set rolled_upto = least("
                            + "rollup_progress.rolled_upto, excluded.rolled_upto)")
                    .setParameter("at", utc(START.minusSeconds(60)))
                    .executeUpdate());
    for (int i = 0; i < 60; i++) {
      maintenance.rollUp();
    }
  }

  private GetHeartbeatHistoryResponse history(
      TestPrincipal viewer, String botId, Instant from, Instant to, int maxPoints) {
    return stub(viewer)
        .getHeartbeatHistory(
            GetHeartbeatHistoryRequest.newBuilder()
                .setBotId(botId)
                .setStartTime(Timestamp.newBuilder().setSeconds(from.getEpochSecond()))
                .setEndTime(Timestamp.newBuilder().setSeconds(to.getEpochSecond()))
                .setMaxPoints(maxPoints)
                .build());
  }

  private boolean partitionExists(String name) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                !entityManager
                    .createNativeQuery("select 1 from pg_class where relname = :name")
                    .setParameter("name", name)
                    .getResultList()
                    .isEmpty());
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
