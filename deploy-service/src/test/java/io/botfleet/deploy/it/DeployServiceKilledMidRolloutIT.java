package io.botfleet.deploy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Duration;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.Scope;
import io.botfleet.deploy.sim.FakeIdentityService;
import io.botfleet.deploy.sim.SimBot;
import io.botfleet.deploy.sim.SimulatedFleet;
import io.botfleet.deploy.sim.SimulatedFleetServer;
import io.botfleet.deploy.v1.BotDeploymentState;
import io.botfleet.deploy.v1.CreateDeploymentRequest;
import io.botfleet.deploy.v1.DeployServiceGrpc;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.DeploymentState;
import io.botfleet.deploy.v1.GetDeploymentRequest;
import io.botfleet.deploy.v1.RolloutParameters;
import io.botfleet.deploy.v1.Selector;
import io.botfleet.devkit.TestDatabase;
import io.botfleet.devkit.TestPrincipal;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged deploy-service, killed with SIGKILL in the middle of a rollout and started again as
 * a new process on the same database: the rollout finishes without a bot updated twice or skipped.
 * Fleet, health and identity are in-test fakes over real gRPC; PostgreSQL is real.
 */
class DeployServiceKilledMidRolloutIT {

  private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

  private final TestPrincipal operator =
      TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_OPERATOR);
  private final SimulatedFleetServer sim =
      SimulatedFleetServer.start(new FakeIdentityService(List.of(operator)));
  private final TestDatabase.Connection database = TestDatabase.create();
  private Process process;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (process != null) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    sim.close();
  }

  @Test
  void aRolloutWhoseServiceIsKilledFinishesInTheNextProcessWithoutRepeatingOrSkippingABot()
      throws Exception {
    SimulatedFleet fleet = sim.fleet();
    List<SimBot> bots = fleet.perpMomentum("perp-momentum");
    fleet.awaitHistory(java.time.Duration.ofMillis(700));
    int first = start("first");
    Deployment created =
        deploy(first)
            .createDeployment(
                CreateDeploymentRequest.newBuilder()
                    .setVersion("1.9.0")
                    .setArtifactRef("registry.example/perp-momentum:1.9.0")
                    .setSelector(
                        Selector.newBuilder()
                            .setScope(Scope.newBuilder().setGroup("perp-momentum")))
                    .setParameters(
                        RolloutParameters.newBuilder()
                            .setCanaryBake(millis(1500))
                            .setBatchDelay(millis(500))
                            .setProgressDeadline(millis(20_000)))
                    .setRequestId(UUID.randomUUID().toString())
                    .build())
            .getDeployment();

    // The canary runs the new version and bakes. Then batch 1's update_version reaches
    // fleet-service and the bots, and the process dies before it learns the command id.
    await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(
            () ->
                deploy(first)
                        .getDeployment(
                            GetDeploymentRequest.newBuilder()
                                .setDeploymentId(created.getId())
                                .build())
                        .getDeployment()
                        .getCurrentStep()
                    >= 1);
    fleet.holdUpdateResponses();
    assertThat(fleet.awaitHeldUpdate(java.time.Duration.ofSeconds(30))).isTrue();
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    fleet.releaseUpdateResponses();

    int second = start("second");
    Deployment done =
        awaitState(second, created.getId(), DeploymentState.DEPLOYMENT_STATE_COMPLETE);

    Map<String, Long> updatesPerBot =
        fleet.received("update_version").stream()
            .collect(
                Collectors.groupingBy(SimulatedFleet.Received::botName, Collectors.counting()));
    assertThat(updatesPerBot).hasSize(5).allSatisfy((bot, count) -> assertThat(count).isEqualTo(1));
    assertThat(fleet.received("update_version").get(0).botName())
        .isEqualTo(created.getCanaryBotName());
    assertThat(fleet.sendCallsByKey().entrySet())
        .filteredOn(e -> e.getKey().contains(":update:1:"))
        .singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo(2));
    assertThat(done.getBotsList())
        .allSatisfy(
            b ->
                assertThat(b.getState())
                    .isEqualTo(BotDeploymentState.BOT_DEPLOYMENT_STATE_UPDATED));
    assertThat(bots).extracting(SimBot::version).containsOnly("1.9.0");
  }

  private Deployment awaitState(int port, String id, DeploymentState state) {
    Deployment[] last = new Deployment[1];
    await()
        .atMost(java.time.Duration.ofSeconds(60))
        .pollInterval(java.time.Duration.ofMillis(100))
        .until(
            () -> {
              last[0] =
                  deploy(port)
                      .getDeployment(GetDeploymentRequest.newBuilder().setDeploymentId(id).build())
                      .getDeployment();
              return last[0].getState() == state;
            });
    return last[0];
  }

  private DeployServiceGrpc.DeployServiceBlockingStub deploy(int port) {
    if (channel == null || !channel.authority().endsWith(":" + port)) {
      if (channel != null) {
        channel.shutdownNow();
      }
      channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }
    return operator
        .sign(DeployServiceGrpc.newBlockingStub(channel))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** Starts the packaged service on a free port and waits until it is ready. */
  private int start(String name) throws IOException, InterruptedException {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(
          JAR.toAbsolutePath() + " is missing: package the service first");
    }
    int port = freePort();
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx192m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            JAR.toString());
    Map<String, String> env = builder.environment();
    env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.put("BOTFLEET_DB_URL", database.jdbcUrl());
    env.put("BOTFLEET_DB_USER", database.user());
    env.put("BOTFLEET_DB_PASSWORD", database.password());
    String sim = Integer.toString(this.sim.port());
    for (String callee : List.of("IDENTITY", "FLEET", "HEALTH")) {
      env.put("BOTFLEET_" + callee + "_HOST", "127.0.0.1");
      env.put("BOTFLEET_" + callee + "_PORT", sim);
    }
    env.put("BOTFLEET_DEPLOY_TICK_INTERVAL", "100ms");
    env.put("BOTFLEET_DEPLOY_LEASE_TTL", "3s");
    env.put("BOTFLEET_DEPLOY_CALL_DEADLINE", "3s");
    Path log = Path.of("target/it-logs/deploy-" + name + ".log");
    Files.createDirectories(log.getParent());
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    process = builder.start();
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
            .timeout(java.time.Duration.ofSeconds(2))
            .build();
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("deploy-service exited; see " + log.toAbsolutePath());
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return port;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("deploy-service not ready; see " + log.toAbsolutePath());
  }

  private static Duration millis(long ms) {
    return Duration.newBuilder()
        .setSeconds(ms / 1000)
        .setNanos((int) (ms % 1000) * 1_000_000)
        .build();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
