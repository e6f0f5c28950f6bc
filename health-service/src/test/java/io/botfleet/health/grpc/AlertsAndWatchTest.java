package io.botfleet.health.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.common.events.EventLog;
import io.botfleet.devkit.GreenHelixStandIn;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.health.v1.AlertSeverity;
import io.botfleet.health.v1.AlertState;
import io.botfleet.health.v1.HealthEventType;
import io.botfleet.health.v1.HealthStatus;
import io.botfleet.health.v1.ListAlertsRequest;
import io.botfleet.health.v1.WatchHealthRequest;
import io.botfleet.health.v1.WatchHealthResponse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class AlertsAndWatchTest extends HealthTestSupport {

  @Inject EntityManager entityManager;

  @Test
  void alertsAreRaisedAndResolvedOnStatusChangesOnlyAndReachTheFleetManager() throws Exception {
    String group = unique("spot-arb");
    TestPrincipal bot = trackedBot(group);
    BotStream stream = new BotStream(bot, channel);
    // healthy, warning x3 (one alert), critical (resolve + raise), healthy (resolve)
    double[] drawdowns = {1, 6, 7, 8, 12, 1};
    for (int i = 0; i < drawdowns.length; i++) {
      stream.send(heartbeat(i + 1).setDrawdownPct(drawdowns[i]));
      stream.next();
    }

    var alerts =
        stub(operator())
            .listAlerts(ListAlertsRequest.newBuilder().setBotId(bot.agentId()).build())
            .getAlertsList();
    assertThat(alerts).hasSize(2);
    assertThat(alerts.get(0).getSeverity()).isEqualTo(AlertSeverity.ALERT_SEVERITY_CRITICAL);
    assertThat(alerts.get(0).getIssuesList()).containsExactly("high_drawdown:12.0%");
    assertThat(alerts.get(1).getSeverity()).isEqualTo(AlertSeverity.ALERT_SEVERITY_WARNING);
    assertThat(alerts.get(1).getIssuesList()).containsExactly("elevated_drawdown:6.0%");
    assertThat(alerts).allMatch(a -> a.getState() == AlertState.ALERT_STATE_RESOLVED);
    assertThat(auditEvents(bot.agentId(), "fleet.health_alert")).isEqualTo(2);
    assertThat(auditEvents(bot.agentId(), "fleet.health_alert_resolved")).isEqualTo(2);

    GreenHelixStandIn greenHelix = GreenHelixTestResource.standIn();
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              var messages =
                  greenHelix.accepted("send_message").stream()
                      .filter(
                          c ->
                              c.input()
                                  .path("payload")
                                  .path("agent_id")
                                  .asText()
                                  .equals(bot.agentId()))
                      .toList();
              assertThat(messages).hasSize(4);
              assertThat(messages.get(0).input().path("message_type").asText()).isEqualTo("alert");
              assertThat(messages.get(0).input().path("payload").path("severity").asText())
                  .isEqualTo("warning");
              var published =
                  greenHelix.accepted("publish_event").stream()
                      .filter(
                          c ->
                              c.input().path("event_type").asText().equals("fleet.health_alert")
                                  && c.input()
                                      .path("payload")
                                      .path("agent_id")
                                      .asText()
                                      .equals(bot.agentId()))
                      .toList();
              assertThat(published).hasSize(2);
              assertThat(published.get(1).input().path("payload").path("issues").get(0).asText())
                  .isEqualTo("high_drawdown:12.0%");
              assertThat(greenHelix.accepted("submit_metrics"))
                  .anyMatch(c -> c.input().path("agent_id").asText().equals(bot.agentId()));
            });
    assertThat(greenHelix.violations()).isEmpty();
    stream.finish();
    untrack(bot.agentId());
  }

  @Test
  void watchHealthStreamsStatusChangesInOrderAndResumesAfterTheLastSequence() throws Exception {
    String group = unique("perp");
    TestPrincipal bot = trackedBot(group);
    TestPrincipal fleet = fleet();
    Watch watch =
        new Watch(fleet, channel, WatchHealthRequest.newBuilder().setGroup(group).build());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> watch.about(bot.agentId()).size() == 1); // the snapshot: its current status
    assertThat(watch.events.get(0).getStatus()).isEqualTo(HealthStatus.HEALTH_STATUS_UNKNOWN);

    BotStream stream = new BotStream(bot, channel);
    stream.send(heartbeat(1));
    stream.next();
    stream.send(heartbeat(2).setErrorCount(11));
    stream.next();
    await().atMost(Duration.ofSeconds(10)).until(() -> watch.events.size() >= 4);
    List<WatchHealthResponse> live = watch.events.subList(1, watch.events.size());
    assertThat(live)
        .extracting(WatchHealthResponse::getType)
        .containsExactly(
            HealthEventType.HEALTH_EVENT_TYPE_STATUS_CHANGED,
            HealthEventType.HEALTH_EVENT_TYPE_STATUS_CHANGED,
            HealthEventType.HEALTH_EVENT_TYPE_ALERT_RAISED);
    assertThat(live.get(1).getPreviousStatus()).isEqualTo(HealthStatus.HEALTH_STATUS_HEALTHY);
    assertThat(live.get(1).getStatus()).isEqualTo(HealthStatus.HEALTH_STATUS_CRITICAL);
    assertThat(live.get(1).getIssuesList()).containsExactly("high_errors:11");
    assertThat(live.get(2).getAlert().getSeverity())
        .isEqualTo(AlertSeverity.ALERT_SEVERITY_CRITICAL);
    assertThat(live).extracting(WatchHealthResponse::getSequence).isSorted();
    long seen = live.get(0).getSequence();
    watch.close();

    // Reconnect after the first live event: the rest comes again, nothing before it.
    Watch resumed =
        new Watch(
            fleet,
            channel,
            WatchHealthRequest.newBuilder().setAfterSequence(seen).setGroup(group).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> resumed.events.size() >= 2);
    assertThat(resumed.events)
        .extracting(WatchHealthResponse::getSequence)
        .containsExactly(live.get(1).getSequence(), live.get(2).getSequence());

    // Filters: only alerts.
    Watch alerts =
        new Watch(
            fleet,
            channel,
            WatchHealthRequest.newBuilder()
                .setAfterSequence(seen)
                .setGroup(group)
                .addTypes(HealthEventType.HEALTH_EVENT_TYPE_ALERT_RAISED)
                .build());
    await().atMost(Duration.ofSeconds(10)).until(() -> alerts.events.size() >= 1);
    assertThat(alerts.events)
        .extracting(WatchHealthResponse::getType)
        .containsOnly(HealthEventType.HEALTH_EVENT_TYPE_ALERT_RAISED);
    resumed.close();
    alerts.close();
    stream.finish();
    untrack(bot.agentId());
  }

  @Transactional
  long auditEvents(String botId, String type) {
    return ((Number)
            entityManager
                .createNativeQuery(
                    "select count(*) from events where agent_id = :bot and type = :type"
                        + " and actor <> :system")
                .setParameter("bot", botId)
                .setParameter("type", type)
                .setParameter("system", EventLog.SYSTEM)
                .getSingleResult())
        .longValue();
  }
}
