package io.botfleet.e2e.story;

import static io.botfleet.e2e.story.Story.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.botfleet.fleet.v1.BotStatus;
import io.botfleet.fleet.v1.FailoverMode;
import io.botfleet.fleet.v1.GroupPolicy;
import io.botfleet.fleet.v1.SetGroupPolicyRequest;
import io.botfleet.health.v1.GetBotHealthRequest;
import io.botfleet.health.v1.HealthPolicy;
import io.botfleet.health.v1.HealthStatus;
import io.botfleet.health.v1.SetHealthPolicyRequest;
import io.botfleet.sdk.command.CommandInfo;
import io.botfleet.sim.BotProfile;
import io.botfleet.sim.GuideFleet;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A bot dies: health-service declares it dead within its group's threshold + 1 s, and fleet-service
 * fails it over to the group's dormant standby, which receives assume_responsibility.
 */
class FailoverIT {

  static final String GROUP = "e2e-failover";
  static final long DEAD_AFTER_SECONDS = 10;

  final Story story = Story.get();

  @Test
  void aKilledBotIsDeadWithinItsThresholdAndItsStandbyTakesOver() throws Exception {
    // The guide's fleet keeps running beside: one death is not a mass silence.
    story.guideFleet();
    story
        .healthStub()
        .setHealthPolicy(
            SetHealthPolicyRequest.newBuilder()
                .setPolicy(
                    HealthPolicy.newBuilder()
                        .setGroup(GROUP)
                        .setHeartbeatInterval(Duration.newBuilder().setSeconds(1))
                        .setDeadAfter(Duration.newBuilder().setSeconds(DEAD_AFTER_SECONDS)))
                .build());
    story
        .fleetStub()
        .setGroupPolicy(
            SetGroupPolicyRequest.newBuilder()
                .setPolicy(
                    GroupPolicy.newBuilder()
                        .setGroup(GROUP)
                        .setFailoverMode(FailoverMode.FAILOVER_MODE_AUTOMATIC)
                        .setMinHealthyShare(0.1))
                .build());
    GuideFleet guide = new GuideFleet(story.asAdmin("fleet"), story.asAdmin("identity"));
    E2eBot worker = start(guide, GROUP + "-01", false);
    E2eBot standby = start(guide, GROUP + "-standby", true);
    await(
        "the worker is healthy",
        GuideFleetIT.SOON,
        () -> health(worker) == HealthStatus.HEALTH_STATUS_HEALTHY);
    await(
        "the standby is standing by",
        GuideFleetIT.SOON,
        () -> story.bot(standby.name).getStatus() == BotStatus.BOT_STATUS_STANDBY);

    worker.kill();
    Instant killed = Instant.now();

    await(
        "dead within " + DEAD_AFTER_SECONDS + " s + 1 s of the kill",
        java.time.Duration.ofSeconds(DEAD_AFTER_SECONDS + 1),
        () -> health(worker) == HealthStatus.HEALTH_STATUS_DEAD);
    await(
        "fleet-service marks it dead",
        GuideFleetIT.SOON,
        () -> story.bot(worker.name).getStatus() == BotStatus.BOT_STATUS_DEAD);
    await(
        "the standby receives assume_responsibility",
        GuideFleetIT.SOON,
        () -> standby.received("assume_responsibility"));
    CommandInfo assume =
        standby.commands().stream()
            .filter(c -> c.type().equals("assume_responsibility"))
            .findFirst()
            .orElseThrow();
    assertThat(assume.payload().get("from_bot").toString()).isIn(worker.name, worker.agentId());
    assertThat(assume.payload().get("group")).isEqualTo(GROUP);
    assertThat(assume.issueTime()).isAfter(killed);
    await(
        "the standby is active and heartbeating",
        GuideFleetIT.SOON,
        () -> story.bot(standby.name).getStatus() == BotStatus.BOT_STATUS_ACTIVE);
  }

  private E2eBot start(GuideFleet guide, String name, boolean standby) throws Exception {
    var registered =
        guide.register(
            new BotProfile(
                name,
                GROUP,
                "binance",
                "cross-exchange-arb",
                "1.0.0",
                new BigDecimal("10000"),
                standby));
    return E2eBot.start(
        story.fleet, name, registered.token(), standby, java.time.Duration.ofSeconds(1));
  }

  private HealthStatus health(E2eBot bot) {
    return story
        .healthStub()
        .getBotHealth(GetBotHealthRequest.newBuilder().setBotId(bot.agentId()).build())
        .getHealth()
        .getStatus();
  }
}
