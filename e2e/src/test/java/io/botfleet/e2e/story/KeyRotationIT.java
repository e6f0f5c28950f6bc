package io.botfleet.e2e.story;

import static io.botfleet.e2e.story.Story.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.fleet.v1.BotStatus;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.sdk.Fill;
import io.botfleet.sdk.FillReport;
import io.botfleet.sim.BotProfile;
import io.botfleet.sim.GuideFleet;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Key rotation under continuous load: a bot that reports fills without pause and heartbeats every
 * 100 ms is told to rotate by fleet-service's schedule, makes its new key, switches and confirms,
 * and not one of its calls is refused on the way.
 */
class KeyRotationIT {

  static final String NAME = "e2e-rotation-01";

  final Story story = Story.get();

  @Test
  void aScheduledRotationUnderContinuousLoadRejectsNoCall() throws Exception {
    story.guideFleet();
    // Rotation is due 30 days after enrollment; this bot enrolls while identity-service says
    // 20 s, so that it is the only bot due when fleet-service's schedule looks.
    story.fleet.restart("identity", Map.of("BOTFLEET_IDENTITY_ROTATION_PERIOD", "20s"));
    E2eBot bot;
    try {
      GuideFleet guide = new GuideFleet(story.asAdmin("fleet"), story.asAdmin("identity"));
      BotProfile profile =
          new BotProfile(
              NAME,
              "e2e-rotation",
              "binance",
              "cross-exchange-arb",
              "1.0.0",
              new BigDecimal("10000"),
              false);
      // fleet-service's channel to the restarted identity-service may still be backing off.
      GuideFleet.Registered registered =
          Story.awaitValue(
              NAME + " registered",
              GuideFleetIT.SOON,
              () -> {
                try {
                  return guide.register(profile);
                } catch (StatusRuntimeException e) {
                  if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                    return null;
                  }
                  throw e;
                }
              },
              r -> r != null);
      bot = E2eBot.start(story.fleet, NAME, registered.token(), false, Duration.ofMillis(100));
    } finally {
      story.fleet.restart("identity", Map.of());
    }
    await(
        NAME + " active",
        GuideFleetIT.SOON,
        () -> story.bot(NAME).getStatus() == BotStatus.BOT_STATUS_ACTIVE);
    assertThat(bot.client().status().keyVersion()).isEqualTo(1);

    AtomicBoolean loading = new AtomicBoolean(true);
    AtomicInteger booked = new AtomicInteger();
    Queue<String> refused = new ConcurrentLinkedQueue<>();
    Thread load =
        new Thread(
            () -> {
              int n = 0;
              while (loading.get()) {
                try {
                  FillReport report =
                      bot.client().reportFills(List.of(fill(n++))).get(15, TimeUnit.SECONDS);
                  if (!report.rejected().isEmpty()) {
                    refused.add("fill rejected: " + report.rejected());
                  }
                  booked.addAndGet(report.accepted());
                } catch (Exception e) {
                  refused.add(String.valueOf(e));
                }
              }
            },
            "e2e-rotation-load");
    load.start();
    try {
      // fleet-service's schedule looks every 5 s here (RunningFleet); its lease outlives a
      // replica killed by another test by at most a minute.
      await(
          NAME + " rotated to key version 2",
          Duration.ofSeconds(120),
          () -> bot.client().status().keyVersion() == 2);
      await(
          "identity-service has key version 2 current",
          GuideFleetIT.SOON,
          () ->
              story
                      .identityStub()
                      .getIdentity(
                          GetIdentityRequest.newBuilder().setAgentId(bot.agentId()).build())
                      .getIdentity()
                      .getKeyVersion()
                  == 2);
      int bookedAtSwitch = booked.get();
      await(
          "fills keep being booked after the switch",
          GuideFleetIT.SOON,
          () -> booked.get() > bookedAtSwitch + 20);
    } finally {
      loading.set(false);
      load.join(20_000);
    }

    assertThat(refused).as("calls refused during the rotation").isEmpty();
    assertThat(booked.get()).isGreaterThan(20);
    // Heartbeats every 100 ms went on throughout: the bot is healthy, its streams up.
    assertThat(bot.client().status().heartbeatStreamUp()).isTrue();
    assertThat(bot.client().status().healthStatus()).endsWith("HEALTHY");
    bot.client().close();
  }

  private static Fill fill(int n) {
    return new Fill(
        NAME + "-fill-" + n,
        "binance",
        "BTC/USDT",
        Fill.Side.BUY,
        new BigDecimal("0.01"),
        new BigDecimal("65000"),
        new BigDecimal("0.65"),
        "USDT",
        new BigDecimal("0.65"),
        Instant.now(),
        null);
  }
}
