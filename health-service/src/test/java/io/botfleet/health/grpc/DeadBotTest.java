package io.botfleet.health.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.health.v1.GetBotHealthRequest;
import io.botfleet.health.v1.HealthEventType;
import io.botfleet.health.v1.HealthStatus;
import io.botfleet.health.v1.WatchHealthRequest;
import io.botfleet.health.v1.WatchHealthResponse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class DeadBotTest extends HealthTestSupport {

  @Inject EntityManager entityManager;

  @Test
  void aSilentBotIsDeadWithinASecondOfItsDeadlineAndRecoversWhenItHeartbeatsAgain()
      throws Exception {
    String group = unique("spot-arb");
    fastGroup(group);
    TestPrincipal bot = trackedBot(group);
    Watch watch =
        new Watch(fleet(), channel, WatchHealthRequest.newBuilder().setGroup(group).build());
    BotStream stream = new BotStream(bot, channel);
    stream.send(heartbeat(1));
    var answer = stream.next();
    Instant deadline =
        Instant.ofEpochSecond(
            answer.getDeadlineTime().getSeconds(), answer.getDeadlineTime().getNanos());

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> has(watch, bot.agentId(), HealthEventType.HEALTH_EVENT_TYPE_BOT_DEAD));
    Instant seen = Instant.now();
    WatchHealthResponse dead =
        first(watch, bot.agentId(), HealthEventType.HEALTH_EVENT_TYPE_BOT_DEAD);

    Instant declared =
        Instant.ofEpochSecond(dead.getEventTime().getSeconds(), dead.getEventTime().getNanos());
    assertThat(Duration.between(deadline, declared))
        .isBetween(Duration.ZERO, Duration.ofSeconds(1));
    assertThat(Duration.between(deadline, seen)).isLessThan(Duration.ofSeconds(2));
    assertThat(dead.getStatus()).isEqualTo(HealthStatus.HEALTH_STATUS_DEAD);
    assertThat(dead.getLastHeartbeatTime().getSeconds()).isPositive();
    String payload = auditPayload(bot.agentId(), "fleet.bot_dead");
    assertThat(payload)
        .contains("\"group\": \"" + group + "\"")
        .contains("\"bot_name\": \"name-" + bot.agentId() + "\"")
        .contains("\"last_heartbeat\"")
        .contains("\"seconds_since_heartbeat\"");
    assertThat(
            stub(operator())
                .getBotHealth(GetBotHealthRequest.newBuilder().setBotId(bot.agentId()).build())
                .getHealth()
                .getStatus())
        .isEqualTo(HealthStatus.HEALTH_STATUS_DEAD);

    stream.send(heartbeat(2));
    assertThat(stream.next().getStatus()).isEqualTo(HealthStatus.HEALTH_STATUS_HEALTHY);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> has(watch, bot.agentId(), HealthEventType.HEALTH_EVENT_TYPE_BOT_RECOVERED));
    assertThat(auditPayload(bot.agentId(), "fleet.bot_recovered")).contains("downtime_seconds");
    watch.close();
    stream.finish();
    untrack(bot.agentId());
  }

  @Test
  void aBotThatNeverHeartbeatsIsDeadAThresholdAfterTrackingButAStandbyNever() {
    String group = unique("options-mm");
    fastGroup(group);
    Watch watch =
        new Watch(fleet(), channel, WatchHealthRequest.newBuilder().setGroup(group).build());
    TestPrincipal silent = trackedBot(group);
    TestPrincipal standby = TestPrincipal.bot().trustedBy(keyCache);
    track(standby.agentId(), group, true);
    Instant tracked = Instant.now();

    await()
        .atMost(Duration.ofSeconds(15))
        .alias("events seen: " + watch.events + " errors: " + watch.errors)
        .until(() -> has(watch, silent.agentId(), HealthEventType.HEALTH_EVENT_TYPE_BOT_DEAD));
    assertThat(Duration.between(tracked, Instant.now()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(9));
    assertThat(auditPayload(silent.agentId(), "fleet.bot_dead"))
        .contains("\"last_heartbeat\": null");
    assertThat(watch.about(standby.agentId()))
        .noneMatch(e -> e.getType() == HealthEventType.HEALTH_EVENT_TYPE_BOT_DEAD);
    watch.close();
    untrack(silent.agentId());
    untrack(standby.agentId());
  }

  private static boolean has(Watch watch, String botId, HealthEventType type) {
    return watch.about(botId).stream().anyMatch(e -> e.getType() == type);
  }

  private static WatchHealthResponse first(Watch watch, String botId, HealthEventType type) {
    return watch.about(botId).stream().filter(e -> e.getType() == type).findFirst().orElseThrow();
  }

  @Transactional
  String auditPayload(String botId, String type) {
    return (String)
        entityManager
            .createNativeQuery(
                "select payload::text from events where agent_id = :bot and type = :type"
                    + " order by seq desc limit 1")
            .setParameter("bot", botId)
            .setParameter("type", type)
            .getSingleResult();
  }
}
