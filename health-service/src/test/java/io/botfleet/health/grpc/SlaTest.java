package io.botfleet.health.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.botfleet.devkit.GreenHelixStandIn;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.health.service.PinnedSlaClock;
import io.botfleet.health.v1.GetBotHealthRequest;
import io.botfleet.health.v1.GetSlaComplianceResponse;
import io.botfleet.health.v1.GetSlaReportRequest;
import io.botfleet.health.v1.GetSlaReportResponse;
import io.botfleet.health.v1.HealthEventType;
import io.botfleet.health.v1.SetSlaTargetsRequest;
import io.botfleet.health.v1.SlaReportEntry;
import io.botfleet.health.v1.SlaSeverity;
import io.botfleet.health.v1.SlaStatus;
import io.botfleet.health.v1.SlaTargets;
import io.botfleet.health.v1.SlaWindow;
import io.botfleet.health.v1.WatchHealthRequest;
import io.botfleet.health.v1.WatchHealthResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class SlaTest extends SlaTestSupport {

  @AfterEach
  void unpin() {
    PinnedSlaClock.pin(null);
  }

  @Test
  void theGuidesWorkedExampleIsCompliantWithAnUptimeWarning() {
    String group = unique("spot-arb");
    setGroupTargets(group, targets(99.5, 3.0, 50, 200));
    TestPrincipal bot = trackedBot(group);
    trackedSince(bot.agentId(), YESTERDAY.minusSeconds(86_400));
    // Every 30 s through yesterday, latency 45 ms, drawdown up to 2.1%, 63 trades by the end; one
    // silence of 379.2 s, of which the bot counts as dead the last 259.2 s (after 120 s): 99.7%.
    heartbeats(bot.agentId(), YESTERDAY, TODAY, 30, 45, 2.1, 63);
    silence(bot.agentId(), YESTERDAY.plusSeconds(36_000), 379.2);
    rollUp(YESTERDAY, TODAY);
    PinnedSlaClock.pin(TODAY);

    GetSlaComplianceResponse c = compliance(operator(), bot.agentId(), SlaWindow.SLA_WINDOW_24H);

    assertThat(c.getStatus()).isEqualTo(SlaStatus.SLA_STATUS_COMPLIANT);
    assertThat(c.getViolationsList()).isEmpty();
    assertThat(c.getWarningsList())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.getMetric()).isEqualTo("uptime_pct");
              assertThat(w.getSeverity()).isEqualTo(SlaSeverity.SLA_SEVERITY_WARNING);
            });
    assertThat(c.getMeasured().getUptimePct()).isCloseTo(99.7, within(1e-6));
    assertThat(c.getMeasured().getMaxDrawdownPct()).isEqualTo(2.1);
    assertThat(c.getMeasured().getTradesPerDay()).isEqualTo(63);
    assertThat(c.getMeasured().getP99LatencyMs()).isEqualTo(45);
    assertThat(c.getTargets().getMinTradesPerDay()).isEqualTo(50);
    assertThat(c.getErrorBudget().getAllowedDowntime().getSeconds()).isEqualTo(432);
    assertThat(c.getErrorBudget().getConsumedDowntime().getSeconds()).isEqualTo(259);
    assertThat(c.getErrorBudget().getRemainingPct()).isCloseTo(40.0, within(0.01));
  }

  @Test
  void aBotDeadTwoHoursOfADayHasTheRightUptimeAndItsCriticalBreachIsPublished() {
    String group = unique("perp");
    setGroupTargets(group, targets(99.5, 5, 10, 500));
    TestPrincipal bot = trackedBot(group);
    TestPrincipal healthy = trackedBot(group);
    for (TestPrincipal b : List.of(bot, healthy)) {
      trackedSince(b.agentId(), YESTERDAY.minusSeconds(86_400));
      heartbeats(b.agentId(), YESTERDAY, TODAY, 30, 45, 1.0, 40);
    }
    // Its last heartbeat at 09:58:00 keeps it alive to 10:00:00; the next comes at 12:00:00.
    silence(bot.agentId(), YESTERDAY.plusSeconds(9 * 3600 + 58 * 60), 7320);
    rollUp(YESTERDAY, TODAY);
    PinnedSlaClock.pin(TODAY);

    GetSlaComplianceResponse c = compliance(operator(), bot.agentId(), SlaWindow.SLA_WINDOW_24H);
    assertThat(c.getMeasured().getUptimePct()).isCloseTo(22 * 100.0 / 24, within(1e-4));
    assertThat(c.getErrorBudget().getConsumedDowntime().getSeconds()).isEqualTo(7200);
    assertThat(c.getViolationsList())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getMetric()).isEqualTo("uptime_pct");
              assertThat(v.getSeverity()).isEqualTo(SlaSeverity.SLA_SEVERITY_CRITICAL);
            });

    Watch watch =
        new Watch(
            fleet(),
            channel,
            WatchHealthRequest.newBuilder()
                .addTypes(HealthEventType.HEALTH_EVENT_TYPE_SLA_CRITICAL)
                .addTypes(HealthEventType.HEALTH_EVENT_TYPE_SLA_VIOLATION)
                .build());
    try {
      monitor.checkAll();
      Awaitility.await()
          .untilAsserted(
              () ->
                  assertThat(watch.about(bot.agentId()))
                      .extracting(WatchHealthResponse::getType)
                      .containsExactly(
                          HealthEventType.HEALTH_EVENT_TYPE_SLA_VIOLATION,
                          HealthEventType.HEALTH_EVENT_TYPE_SLA_CRITICAL));
      assertThat(watch.about(healthy.agentId())).isEmpty();
      // Acted on once: a second check finds nothing new.
      monitor.checkAll();
      Awaitility.await()
          .during(java.time.Duration.ofMillis(1500))
          .untilAsserted(() -> assertThat(watch.about(bot.agentId())).hasSize(2));
    } finally {
      watch.close();
    }
    assertThat(openAlerts(bot.agentId())).containsExactly("sla_violation:critical");
    // Mirrored to GreenHelix: the targets as sla_* metrics, the daily compliance and SLA search,
    // and the guide's fleet.sla_violation event.
    GreenHelixStandIn greenHelix = GreenHelixTestResource.standIn();
    Awaitility.await()
        .untilAsserted(
            () -> {
              assertThat(about(greenHelix.accepted("submit_metrics"), bot.agentId()))
                  .anySatisfy(
                      m ->
                          assertThat(m.input().path("metrics").path("sla_uptime_target").asDouble())
                              .isEqualTo(99.5));
              assertThat(about(greenHelix.accepted("get_sla_compliance"), bot.agentId()))
                  .singleElement()
                  .satisfies(
                      m ->
                          assertThat(m.input().path("sla").path("uptime_pct").asDouble())
                              .isEqualTo(99.5));
              assertThat(greenHelix.accepted("search_agents_by_metrics")).isNotEmpty();
              assertThat(greenHelix.accepted("publish_event"))
                  .anySatisfy(
                      e -> {
                        assertThat(e.input().path("event_type").asText())
                            .isEqualTo("fleet.sla_violation");
                        assertThat(e.input().path("payload").path("agent_id").asText())
                            .isEqualTo(bot.agentId());
                        assertThat(
                                e.input()
                                    .path("payload")
                                    .path("violations")
                                    .get(0)
                                    .path("metric")
                                    .asText())
                            .isEqualTo("uptime_pct");
                      });
            });
    assertThat(greenHelix.violations()).isEmpty();
    // GreenHelix's reputation (the stand-in answers 90) is shown next to botfleet's own score.
    PinnedSlaClock.pin(null);
    Awaitility.await()
        .untilAsserted(
            () ->
                assertThat(
                        stub(operator())
                            .getSlaReport(
                                GetSlaReportRequest.newBuilder()
                                    .setMonth(YearMonth.now(ZoneOffset.UTC).toString())
                                    .build())
                            .getBotsList())
                    .filteredOn(e -> e.getBotId().equals(bot.agentId()))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getGreenhelixReputationScore()).isEqualTo(90.0);
                          assertThat(e.getReliabilityScore()).isBetween(0.0, 100.0);
                        }));
  }

  @Test
  void aMonthWithGapsIsReportedToTheMinute() {
    YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(2);
    Instant from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    for (LocalDate d = month.atDay(1);
        d.isBefore(month.plusMonths(1).atDay(1));
        d = d.plusDays(1)) {
      LocalDate day = d;
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                storage.createPartition("heartbeats", day);
                storage.createPartition("heartbeat_minutes", day);
              });
    }
    String group = unique("report");
    setGroupTargets(group, targets(99.0, 5, 10, 500));
    // gappy: heartbeats every minute, silent for 3 h 17 min on the 3rd and 45 min on the 20th.
    TestPrincipal gappy = trackedBot(group);
    trackedSince(gappy.agentId(), from.minusSeconds(86_400));
    heartbeats(gappy.agentId(), from, to, 60, 80, 1.0, 500);
    silence(gappy.agentId(), from.plusSeconds(2 * 86_400 + 5 * 3600), 3 * 3600 + 17 * 60 + 60);
    silence(gappy.agentId(), from.plusSeconds(19 * 86_400 + 13 * 3600 + 7 * 60), 45 * 60 + 60);
    // late: tracked from noon on the 16th, never silent.
    TestPrincipal late = trackedBot(group);
    Instant lateStart = from.plusSeconds(15 * 86_400 + 12 * 3600);
    trackedSince(late.agentId(), lateStart);
    heartbeats(late.agentId(), lateStart, to, 60, 80, 1.0, 500);
    // lazy: never silent, but 5 trades a day against a minimum of 10.
    TestPrincipal lazy = trackedBot(group);
    trackedSince(lazy.agentId(), from.minusSeconds(86_400));
    heartbeats(lazy.agentId(), from, to, 60, 80, 1.0, 5);
    rollUp(from, to);

    GetSlaReportResponse report =
        stub(operator())
            .getSlaReport(GetSlaReportRequest.newBuilder().setMonth(month.toString()).build());

    Map<String, SlaReportEntry> bots =
        report.getBotsList().stream()
            .collect(Collectors.toMap(SlaReportEntry::getBotId, Function.identity()));
    assertThat(bots.keySet())
        .containsExactlyInAnyOrder(gappy.agentId(), late.agentId(), lazy.agentId());
    long minutes = month.lengthOfMonth() * 1440L;
    SlaReportEntry g = bots.get(gappy.agentId());
    // Each silence of n minutes is n minutes without heartbeats, dead for the last n - 1.
    assertThat(g.getMeasured().getCoveredMinutes()).isEqualTo(minutes - 197 - 45);
    assertThat(g.getMeasured().getUptimePct())
        .isCloseTo(100.0 * (minutes - 196 - 44) / minutes, within(1e-4));
    assertThat(g.getCompliant()).isTrue(); // 99.45% >= 99.0
    SlaReportEntry l = bots.get(late.agentId());
    assertThat(l.getMeasured().getUptimePct()).isEqualTo(100.0);
    assertThat(l.getMeasured().getCoveredMinutes())
        .isEqualTo(java.time.Duration.between(lateStart, to).toMinutes());
    assertThat(l.getCompliant()).isTrue();
    SlaReportEntry z = bots.get(lazy.agentId());
    assertThat(z.getCompliant()).isFalse();
    assertThat(z.getViolationsList())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getMetric()).isEqualTo("min_trades_per_day");
              assertThat(v.getActual()).isEqualTo(5);
            });
    assertThat(report.getSummary().getTotalBotsWithSla()).isEqualTo(3);
    assertThat(report.getSummary().getCompliant()).isEqualTo(2);
    assertThat(report.getSummary().getInViolation()).isEqualTo(1);
    assertThat(g.getReliabilityScore()).isBetween(50.0, 100.0);
  }

  @Test
  void badTargetsAreRefusedNamingTheField() {
    assertThatThrownBy(
            () ->
                stub(operator())
                    .setSlaTargets(
                        SetSlaTargetsRequest.newBuilder()
                            .setGroup("g-" + unique("x"))
                            .setTargets(targets(120, -1, 0, 0))
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription())
                  .contains("targets.uptime_pct")
                  .contains("(and 1 more)");
            });
    assertThatThrownBy(
            () ->
                stub(operator())
                    .setSlaTargets(
                        SetSlaTargetsRequest.newBuilder()
                            .setBotId("bot-0000000000000000")
                            .setTargets(targets(99, 5, 10, 500))
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThatThrownBy(
            () ->
                stub(operator())
                    .getSlaReport(GetSlaReportRequest.newBuilder().setMonth("2026-13").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getDescription()).contains("month"));
  }

  @Test
  void aBotsOwnTargetsOverrideItsGroupsAndUnsetFieldsTakeTheDefaults() {
    String group = unique("g");
    setGroupTargets(group, targets(99.0, 4, 20, 300));
    TestPrincipal bot = trackedBot(group);
    var stored =
        stub(operator())
            .setSlaTargets(
                SetSlaTargetsRequest.newBuilder()
                    .setBotId(bot.agentId())
                    .setTargets(SlaTargets.newBuilder().setUptimePct(99.9))
                    .build());
    assertThat(stored.getTargets()).isEqualTo(targets(99.9, 5.0, 10, 500));
    assertThat(
            compliance(operator(), bot.agentId(), SlaWindow.SLA_WINDOW_1H)
                .getTargets()
                .getUptimePct())
        .isEqualTo(99.9);
    TestPrincipal other = trackedBot(unique("no-sla"));
    assertThat(compliance(other, other.agentId(), SlaWindow.SLA_WINDOW_1H).getStatus())
        .isEqualTo(SlaStatus.SLA_STATUS_NO_SLA_DEFINED);
    assertThat(
            stub(operator())
                .getBotHealth(GetBotHealthRequest.newBuilder().setBotId(bot.agentId()).build())
                .getHealth()
                .getReliabilityScore())
        .isEqualTo(100.0);
  }

  private static List<GreenHelixStandIn.Call> about(
      List<GreenHelixStandIn.Call> calls, String botId) {
    return calls.stream().filter(c -> botId.equals(c.input().path("agent_id").asText())).toList();
  }
}
