package io.botfleet.sim;

import com.google.protobuf.Duration;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.FailoverMode;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.GetFleetStatusRequest;
import io.botfleet.fleet.v1.GroupPolicy;
import io.botfleet.fleet.v1.ListBotsRequest;
import io.botfleet.fleet.v1.SetGroupPolicyRequest;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.health.v1.GetFleetHealthDashboardRequest;
import io.botfleet.health.v1.HealthPolicy;
import io.botfleet.health.v1.SetHealthPolicyRequest;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The driver of {@code ./fleet demo}, run once the services are ready: makes the first
 * administrator with the bootstrap token (or reuses it), registers the guide's fleet through
 * fleet-service, runs it in fleet-sim in this JVM, and shows fleet status and health dashboard
 * until Ctrl-C.
 */
@Command(
    name = "fleet-demo",
    mixinStandardHelpOptions = true,
    description = "The guide's 12-bot fleet on a running botfleet (./fleet demo runs this).",
    sortOptions = false)
public final class FleetDemo implements Callable<Integer> {

  @Option(names = "--fleet", description = "fleet-service (default: ${DEFAULT-VALUE})")
  String fleet = "http://127.0.0.1:8080";

  @Option(names = "--identity", description = "identity-service (default: ${DEFAULT-VALUE})")
  String identity = "http://127.0.0.1:8081";

  @Option(names = "--permission", description = "permission-service (default: ${DEFAULT-VALUE})")
  String permission = "http://127.0.0.1:8082";

  @Option(names = "--health", description = "health-service (default: ${DEFAULT-VALUE})")
  String health = "http://127.0.0.1:8083";

  @Option(names = "--billing", description = "billing-service (default: ${DEFAULT-VALUE})")
  String billing = "http://127.0.0.1:8085";

  @Option(
      names = "--state",
      description =
          "./fleet's state directory (bootstrap-token, logs/) (default: ${DEFAULT-VALUE})")
  Path state = Path.of(".fleet");

  @Option(names = "--organization", description = "(default: ${DEFAULT-VALUE})")
  String organization = "demo";

  @Option(
      names = "--dead-after",
      description =
          "fleet-wide dead threshold the demo sets, in seconds (the guide's is 120; a demo"
              + " should not make you wait) (default: ${DEFAULT-VALUE})")
  int deadAfterSeconds = 30;

  @Option(
      names = "--heartbeat-interval",
      description = "seconds between the bots' heartbeats (default: ${DEFAULT-VALUE})")
  int heartbeatSeconds = 5;

  @Option(names = "--refresh", description = "seconds between screens (default: ${DEFAULT-VALUE})")
  int refreshSeconds = 5;

  @Option(
      names = "--control-port",
      description = "fleet-sim's fault control port (default: ${DEFAULT-VALUE})")
  int controlPort = 9470;

  @Option(names = "--duration", description = "stop after this many seconds (default: never)")
  Integer durationSeconds;

  private final PrintStream out = System.out;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<ManagedChannel> channels = new ArrayList<>();
  private volatile FleetSim sim;

  /** Runs the demo; exits 0 after Ctrl-C or --duration, 1 when the fleet cannot be set up. */
  public static void main(String[] args) {
    FleetDemo demo = new FleetDemo();
    Runtime.getRuntime().addShutdownHook(new Thread(demo::stop, "demo-shutdown"));
    System.exit(new CommandLine(demo).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path logs = state.resolve("logs");
    Files.createDirectories(logs);
    PrintStream simLog =
        new PrintStream(new FileOutputStream(logs.resolve("fleet-sim.log").toFile(), true), true);
    logTo(logs.resolve("fleet-sim.log"));
    // Where fleetctl looks for its operator key when BOTFLEET_HOME names this directory.
    Path adminKey = state.resolve("demo/fleetctl/operator.key");
    try {
      Channel identityChannel = open(identity);
      OperatorKey admin =
          OperatorKey.adminFrom(
              adminKey,
              state.resolve("bootstrap-token"),
              identityChannel,
              "demo-admin",
              organization);
      Channel fleetChannel = admin.sign(open(fleet));
      Channel healthChannel = admin.sign(open(health));
      out.printf("Administrator %s (key in %s)%n", admin.agentId(), adminKey);

      GuideFleet guide = new GuideFleet(fleetChannel, admin.sign(identityChannel));
      guide.init(organization);
      setPolicies(fleetChannel, healthChannel);
      Path keys = state.resolve("sim/keys");
      Path tokens = state.resolve("demo/tokens.txt");
      for (GuideFleet.Registered bot : guide.ensure(GuideFleet.profiles(), keys, tokens)) {
        out.printf("  %-20s %-22s %s%n", bot.name(), bot.agentId(), bot.note());
      }
      out.printf("Starting fleet-sim with %s (log: %s)%n", tokens, logs.resolve("fleet-sim.log"));
      startSim(simLog, tokens, keys);
      awaitActive(fleetChannel);
      show(fleetChannel, healthChannel);
      return 0;
    } catch (IllegalStateException | StatusRuntimeException e) {
      out.println("fleet demo: " + e.getMessage());
      return 1;
    } finally {
      stop();
      simLog.close();
    }
  }

  private void setPolicies(Channel fleetChannel, Channel healthChannel) {
    FleetHealthServiceGrpc.newBlockingStub(healthChannel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .setHealthPolicy(
            SetHealthPolicyRequest.newBuilder()
                .setPolicy(
                    HealthPolicy.newBuilder()
                        .setHeartbeatInterval(seconds(heartbeatSeconds))
                        .setDeadAfter(seconds(deadAfterSeconds)))
                .build());
    // Stateless arbitrage fails over to its standby by itself (the guide's advice).
    FleetServiceGrpc.newBlockingStub(fleetChannel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .setGroupPolicy(
            SetGroupPolicyRequest.newBuilder()
                .setPolicy(
                    GroupPolicy.newBuilder()
                        .setGroup("spot-arb")
                        .setFailoverMode(FailoverMode.FAILOVER_MODE_AUTOMATIC)
                        .setMinHealthyShare(0.5))
                .build());
  }

  private void startSim(PrintStream simLog, Path tokens, Path keys) {
    FleetSim program = new FleetSim(simLog);
    sim = program;
    String[] args = {
      "--fleet",
      fleet,
      "--identity",
      identity,
      "--permission",
      permission,
      "--health",
      health,
      "--billing",
      billing,
      "--tokens",
      tokens.toString(),
      "--keys-dir",
      keys.toString(),
      "--heartbeat-interval",
      heartbeatSeconds + "s",
      "--control-port",
      Integer.toString(controlPort),
      "--no-stdin",
      "--status-every",
      "0s",
      "--log-level",
      "WARNING"
    };
    Thread thread =
        new Thread(
            () -> {
              int code = new CommandLine(program).execute(args);
              if (code != 0) {
                out.printf(
                    "fleet-sim stopped (exit %d); the end of %s says why%n",
                    code, state.resolve("logs/fleet-sim.log"));
                stopped.countDown();
              }
            },
            "fleet-sim");
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits up to a minute for every bot but the standby to enroll and connect. */
  private void awaitActive(Channel fleetChannel) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && stopped.getCount() > 0) {
      var counts =
          FleetServiceGrpc.newBlockingStub(fleetChannel)
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .getFleetStatus(GetFleetStatusRequest.getDefaultInstance())
              .getStatusCounts();
      if (counts.getPending() == 0) {
        return;
      }
      out.printf("  waiting for %d bots to enroll and connect …%n", counts.getPending());
      stopped.await(2, TimeUnit.SECONDS);
    }
  }

  private void show(Channel fleetChannel, Channel healthChannel) throws InterruptedException {
    boolean terminal = System.console() != null;
    long end =
        durationSeconds == null
            ? Long.MAX_VALUE
            : System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds);
    var fleetStub = FleetServiceGrpc.newBlockingStub(fleetChannel);
    var healthStub = FleetHealthServiceGrpc.newBlockingStub(healthChannel);
    while (stopped.getCount() > 0 && System.nanoTime() < end) {
      String screen;
      try {
        var status =
            fleetStub
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .getFleetStatus(GetFleetStatusRequest.getDefaultInstance());
        var dashboard =
            healthStub
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .getFleetHealthDashboard(GetFleetHealthDashboardRequest.getDefaultInstance());
        List<Bot> bots =
            fleetStub
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .listBots(ListBotsRequest.newBuilder().setPageSize(100).build())
                .getBotsList();
        screen =
            DemoScreen.render(status, dashboard, bots, Instant.now(), refreshSeconds, controlPort);
      } catch (StatusRuntimeException e) {
        screen = "botfleet demo: a service did not answer (" + e.getStatus() + "); retrying …\n";
      }
      out.print(terminal ? "\033[H\033[2J" + screen : screen + "\n");
      out.flush();
      stopped.await(refreshSeconds, TimeUnit.SECONDS);
    }
  }

  /** Stops fleet-sim and closes the channels (Ctrl-C, --duration, or a failure). */
  synchronized void stop() {
    stopped.countDown();
    if (sim != null) {
      sim.stop();
      sim = null;
    }
    channels.forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }

  private ManagedChannel open(String url) {
    URI uri = URI.create(url);
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress(uri.getHost(), uri.getPort()).usePlaintext().build();
    channels.add(channel);
    return channel;
  }

  private static Duration seconds(int seconds) {
    return Duration.newBuilder().setSeconds(seconds).build();
  }

  /** The SDK's and the simulator's log lines go to the file, not over the screen. */
  private static void logTo(Path file) throws IOException {
    LogManager.getLogManager().reset();
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$-7s %5$s%6$s%n");
    Handler handler = new FileHandler(file.toString(), true);
    handler.setFormatter(new SimpleFormatter());
    Logger.getLogger("").addHandler(handler);
  }
}
