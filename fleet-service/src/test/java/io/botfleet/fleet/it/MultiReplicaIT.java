package io.botfleet.fleet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.botfleet.common.v1.BotIds;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.Scope;
import io.botfleet.devkit.TestDatabase;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.fleet.TestBot;
import io.botfleet.fleet.fakes.FakeServices;
import io.botfleet.fleet.v1.AckState;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.BotCommand;
import io.botfleet.fleet.v1.DeliveryState;
import io.botfleet.fleet.v1.EmergencyStopRequest;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.GetBotRequest;
import io.botfleet.fleet.v1.GetCommandStatusRequest;
import io.botfleet.fleet.v1.InitFleetRequest;
import io.botfleet.fleet.v1.RegisterBotRequest;
import io.botfleet.fleet.v1.SendCommandRequest;
import io.botfleet.permission.v1.Tier;
import io.botfleet.signing.SigningKey;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * fleet-service as its packaged jar, two processes on one database: any replica takes any bot's
 * stream, a command issued on one reaches a bot connected to the other (LISTEN/NOTIFY), and stored
 * commands survive a crash and restart of the service between issue and delivery. identity,
 * permission and health are in-test fakes; identity's fake feeds the keys (WatchKeys) the replicas
 * verify every signed call with.
 */
class MultiReplicaIT {

  private static FakeServices fakes;
  private static Map<String, String> environment;
  private static Path logs;
  private static FleetProcess a;
  private static FleetProcess b;
  private static ManagedChannel toA;
  private static ManagedChannel toB;
  private static TestPrincipal admin;

  @BeforeAll
  static void startTwoReplicas() throws Exception {
    fakes = FakeServices.start();
    TestDatabase.Connection database = TestDatabase.create();
    logs = Files.createDirectories(Path.of("target", "it-logs"));
    environment = new HashMap<>();
    environment.put("BOTFLEET_DB_URL", database.jdbcUrl());
    environment.put("BOTFLEET_DB_USER", database.user());
    environment.put("BOTFLEET_DB_PASSWORD", database.password());
    for (String callee : List.of("IDENTITY", "PERMISSION", "HEALTH")) {
      environment.put("BOTFLEET_" + callee + "_HOST", "127.0.0.1");
      environment.put("BOTFLEET_" + callee + "_PORT", String.valueOf(fakes.port()));
    }
    environment.put("BOTFLEET_SERVICE_PRIVATE_KEY", SigningKey.generate().seedBase64());
    environment.put("BOTFLEET_FLEET_WARMUP_ROUNDS", "2");
    environment.put("BOTFLEET_FLEET_WARMUP_BOTS", "200");
    admin = TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_ADMIN);
    fakes.identity.trust(admin);
    a = replica(FleetProcess.freePort(), "a");
    b = replica(FleetProcess.freePort(), "b");
    toA = channel(a);
    toB = channel(b);
    fleet(toA).initFleet(InitFleetRequest.newBuilder().setOrganization("acme").build());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    for (ManagedChannel channel : new ManagedChannel[] {toA, toB}) {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    for (FleetProcess replica : new FleetProcess[] {a, b}) {
      if (replica != null) {
        replica.close();
      }
    }
    if (fakes != null) {
      fakes.close();
    }
  }

  @Test
  void aCommandIssuedOnOneReplicaReachesABotConnectedToTheOther() {
    Bot bot = register("cross-" + unique());
    try (TestBot stream =
        TestBot.connect(toB, botPrincipal(bot)).autoAck(AckState.ACK_STATE_DONE)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> get(toA, bot).getConnected());

      String commandId =
          fleet(toA)
              .emergencyStop(
                  EmergencyStopRequest.newBuilder()
                      .setScope(bots(bot.getId()))
                      .setReason("drill")
                      .setRequestId(UUID.randomUUID().toString())
                      .build())
              .getCommand()
              .getId();

      BotCommand command = stream.next(Duration.ofSeconds(5));
      assertThat(command.getCommandId()).isEqualTo(commandId);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  fleet(toA)
                          .getCommandStatus(
                              GetCommandStatusRequest.newBuilder().setCommandId(commandId).build())
                          .getDeliveries(0)
                          .getState()
                      == DeliveryState.DELIVERY_STATE_DONE);
    }
  }

  @Test
  void storedCommandsSurviveACrashOfTheServiceBetweenIssueAndDelivery() throws Exception {
    Bot bot = register("survivor-" + unique());
    String first = send(toA, bot, "set_param_1");
    String second = send(toA, bot, "set_param_2");

    a.kill();
    a = replica(a.port(), "a-restarted");
    toA.shutdownNow();
    toA = channel(a);

    try (TestBot stream = TestBot.connect(toA, botPrincipal(bot))) {
      assertThat(stream.next(Duration.ofSeconds(10)).getCommandId()).isEqualTo(first);
      assertThat(stream.next(Duration.ofSeconds(5)).getCommandId()).isEqualTo(second);
    }
  }

  @Test
  void aBotWhoseReplicaDiesReconnectsToTheOtherAndGetsWhatItHadNotAcknowledged() throws Exception {
    Bot bot = register("roamer-" + unique());
    TestPrincipal principal = botPrincipal(bot);
    String unacknowledged;
    try (TestBot onA = TestBot.connect(toA, principal)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> get(toB, bot).getConnected());
      unacknowledged = send(toB, bot, "rebalance");
      assertThat(onA.next(Duration.ofSeconds(5)).getCommandId()).isEqualTo(unacknowledged);
      a.kill();
    }
    try (TestBot onB = TestBot.connect(toB, principal)) {
      assertThat(onB.next(Duration.ofSeconds(10)).getCommandId()).isEqualTo(unacknowledged);
    } finally {
      a = replica(a.port(), "a-after-roam");
      toA.shutdownNow();
      toA = channel(a);
    }
  }

  private static FleetProcess replica(int port, String name) {
    return new FleetProcess(port, logs.resolve("fleet-" + name + ".log"), environment)
        .start(Duration.ofSeconds(90), "-Xmx256m", "-XX:+UseSerialGC");
  }

  private static ManagedChannel channel(FleetProcess replica) {
    return ManagedChannelBuilder.forAddress("127.0.0.1", replica.port()).usePlaintext().build();
  }

  private static FleetServiceGrpc.FleetServiceBlockingStub fleet(ManagedChannel channel) {
    return admin
        .sign(FleetServiceGrpc.newBlockingStub(channel))
        .withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private static Bot register(String name) {
    return fleet(toA)
        .registerBot(
            RegisterBotRequest.newBuilder()
                .setName(name)
                .setGroup("spot-arb")
                .setExchange("binance")
                .setStrategy("cross-exchange-arb")
                .setVersion("2.4.1")
                .setTier(Tier.TIER_TRADE)
                .setRequestId(UUID.randomUUID().toString())
                .build())
        .getBot();
  }

  private static TestPrincipal botPrincipal(Bot bot) {
    TestPrincipal principal = TestPrincipal.bot(bot.getId());
    fakes.identity.trust(principal);
    // Both replicas learn the key from the feed; wait until the bot can call them.
    for (ManagedChannel channel : new ManagedChannel[] {toA, toB}) {
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(
              () ->
                  principal
                      .sign(FleetServiceGrpc.newBlockingStub(channel))
                      .getBot(GetBotRequest.newBuilder().setBotId(bot.getId()).build())
                      .hasBot());
    }
    return principal;
  }

  private static Bot get(ManagedChannel channel, Bot bot) {
    return fleet(channel).getBot(GetBotRequest.newBuilder().setBotId(bot.getId()).build()).getBot();
  }

  private static String send(ManagedChannel channel, Bot bot, String type) {
    return fleet(channel)
        .sendCommand(
            SendCommandRequest.newBuilder()
                .setScope(bots(bot.getId()))
                .setType(type)
                .setRequestId(UUID.randomUUID().toString())
                .build())
        .getCommand()
        .getId();
  }

  private static Scope bots(String id) {
    return Scope.newBuilder().setBots(BotIds.newBuilder().addBotIds(id)).build();
  }

  private static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
