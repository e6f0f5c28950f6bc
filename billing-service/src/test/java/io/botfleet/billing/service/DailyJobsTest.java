package io.botfleet.billing.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.botfleet.billing.BillingTestSupport;
import io.botfleet.billing.fakes.FakeFleet;
import io.botfleet.billing.fakes.FakeServicesResource;
import io.botfleet.billing.persistence.JobLock;
import io.botfleet.billing.v1.CostCategory;
import io.botfleet.billing.v1.CostModel;
import io.botfleet.billing.v1.GetBotCostSummaryRequest;
import io.botfleet.billing.v1.GetFleetCostSummaryRequest;
import io.botfleet.devkit.GreenHelixStandIn;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daily jobs end to end on days of March 2026: accruals, GreenHelix API fees from every
 * service's outbox (an unreachable service only delays its part), and the cost and ROI metrics that
 * go to GreenHelix once per bot and day.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesResource.class)
class DailyJobsTest extends BillingTestSupport {

  static final LocalDate DAY = LocalDate.of(2026, 3, 10);

  @Inject BillingJobs jobs;
  @Inject ApiFeeService apiFees;
  @Inject MetricsService metrics;
  @Inject EntityManager entityManager;
  @Inject JobLock lock;

  @BeforeEach
  void metricsFromEarlyThisYear() {
    // Metrics go out for days since the installation; these tests use days before it.
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                entityManager
                    .createNativeQuery(
                        "update job_state set value = '2026-01-01' where name = 'metrics_since'")
                    .executeUpdate());
  }

  @Test
  void aDayIsClosedOnlyOnceItIsOverAndTheCloseDelayHasPassed() {
    assertThat(jobs.closedThrough(Instant.parse("2026-03-11T00:10:00Z")))
        .isEqualTo(DAY.minusDays(1));
    assertThat(jobs.closedThrough(Instant.parse("2026-03-11T00:20:00Z"))).isEqualTo(DAY);
  }

  @Test
  void oneReplicaAtATimeRunsTheJobs() {
    boolean[] nested = new boolean[1];
    boolean ran =
        lock.runExclusively("test", () -> nested[0] = lock.runExclusively("test", () -> {}));

    assertThat(ran).isTrue();
    assertThat(nested[0]).isFalse();
    assertThat(lock.runExclusively("test", () -> {})).isTrue();
  }

  @Test
  void apiFeesAreChargedToTheBotsTheCallsWereForAndTheRestIsFleetOverhead() {
    // Outside the 35-day window the runDaily test books, so the usage below is still unbooked.
    LocalDate day = LocalDate.of(2026, 1, 20);
    String bot = registeredBot(unique("arb"), unique("g"));
    FakeFleet.usage("health", day, bot, "submit_metrics", 150);
    FakeFleet.usage("fleet", day, bot, "send_message", 50);
    FakeFleet.usage("fleet", day, "svc-fleet", "create_event_schema", 12);
    FakeFleet.usage("deploy", day, bot, "publish_event", 30);
    FakeFleet.down("deploy", true);
    try {
      apiFees.book(day, day);
    } finally {
      FakeFleet.down("deploy", false);
    }
    String withoutDeploy = apiFeesOf(bot, day);
    apiFees.book(day, day);
    apiFees.book(day, day);

    assertThat(withoutDeploy).isEqualTo("2.00");
    assertThat(apiFeesOf(bot, day)).isEqualTo("2.30");
    assertThat(
            billing(viewer())
                .getFleetCostSummary(
                    GetFleetCostSummaryRequest.newBuilder().setPeriod(day(day)).build())
                .getCostsByBotList())
        .anyMatch(c -> c.getBotId().equals("unallocated") && c.getTotalCostUsd().equals("0.12"));
  }

  @Test
  void eachClosedDaySendsTheGuidesCostAndRoiMetricsOncePerBot() {
    String bot = registeredBot(unique("mom"), unique("g"));
    TestPrincipal botPrincipal = TestPrincipal.bot(bot).trustedBy(keyCache);
    reportFills(botPrincipal, List.of(fills("m", 4, DAY, "0.25")));
    FakeFleet.dailyStat(bot, DAY, "21.00", 4);
    setModel(
        CostModel.newBuilder()
            .setName(unique("vps"))
            .setCategory(CostCategory.COST_CATEGORY_INFRASTRUCTURE)
            .setMonthlyAmountUsd("31.00")
            .setBotId(bot)
            .setStartDate(DAY.toString())
            .setEndDate(DAY.toString()));
    GreenHelixStandIn greenHelix = GreenHelixTestResource.standIn();

    BillingJobs.Run first = jobs.runDaily(DAY);
    BillingJobs.Run second = jobs.runDaily(DAY);

    assertThat(first.accruedDays()).isGreaterThanOrEqualTo(1);
    assertThat(second).isEqualTo(new BillingJobs.Run(0, 0, 0));
    JsonNode metrics =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> submitted(greenHelix, bot), Optional::isPresent)
            .get();
    assertThat(metrics.get("cost_exchange_fees").decimalValue()).isEqualByComparingTo("1.00");
    assertThat(metrics.get("cost_infrastructure").decimalValue()).isEqualByComparingTo("1.00");
    assertThat(metrics.get("cost_total_daily").decimalValue()).isEqualByComparingTo("2.00");
    assertThat(metrics.get("cost_period").asText()).isEqualTo("2026-03");
    assertThat(metrics.get("gross_pnl_usd").decimalValue()).isEqualByComparingTo("21.00");
    assertThat(metrics.get("net_pnl_usd").decimalValue()).isEqualByComparingTo("19.00");
    assertThat(metrics.get("total_cost_usd").decimalValue()).isEqualByComparingTo("2.00");
    assertThat(metrics.get("roi_pct").decimalValue()).isEqualByComparingTo("950.0");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                greenHelix.accepted("search_agents_by_metrics").stream()
                    .anyMatch(c -> c.input().get("metric").asText().equals("roi_pct")));
    assertThat(
            greenHelix.accepted("submit_metrics").stream()
                .filter(c -> c.input().get("agent_id").asText().equals(bot))
                .count())
        .isEqualTo(1);
    assertThat(greenHelix.violations()).isEmpty();
  }

  private static Optional<JsonNode> submitted(GreenHelixStandIn greenHelix, String bot) {
    return greenHelix.accepted("submit_metrics").stream()
        .filter(c -> c.input().get("agent_id").asText().equals(bot))
        .map(c -> c.input().get("metrics"))
        .filter(m -> m.has("roi_pct"))
        .findFirst();
  }

  private String apiFeesOf(String bot, LocalDate day) {
    return billing(viewer())
        .getBotCostSummary(
            GetBotCostSummaryRequest.newBuilder().setBotId(bot).setPeriod(day(day)).build())
        .getCostsByCategoryOrThrow("api_fees");
  }
}
