package io.botfleet.sim;

import io.botfleet.sdk.Connections;
import io.botfleet.sdk.Endpoints;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fleet-sim}: simulated bots against a botfleet control plane. */
@Command(
    name = "fleet-sim",
    mixinStandardHelpOptions = true,
    version = "fleet-sim 0.1.0",
    description =
        "Runs simulated trading bots on the botfleet bot SDK, in one JVM: by default the guide's"
            + " 12-bot fleet (spot-arb-01..03, perp-momentum-01..05, options-mm-01..04), or --bots"
            + " N for load. Bots enroll with the tokens of --tokens (keeping their key files in"
            + " --keys-dir) or reuse the key files already there. Commands change what they do;"
            + " faults are injected with --fault, on stdin, or over HTTP with --control-port"
            + " (the command 'help' lists them).",
    sortOptions = false)
public final class FleetSim implements Callable<Integer> {

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
      names = "--tokens",
      description =
          "enrollment tokens, one bot per line: NAME TOKEN [group=… exchange=… strategy=…"
              + " version=… max_position_usd=… standby=true]; these bots are the fleet (TOKEN"
              + " '-': the bot has its key file already)")
  Path tokens;

  @Option(
      names = "--keys-dir",
      description = "where the bots' key files are (NAME.key, 0600) (default: ${DEFAULT-VALUE})")
  Path keysDir = Path.of(".fleet/sim/keys");

  @Option(names = "--bots", description = "run N generated bots instead of the guide's 12")
  int bots;

  @Option(
      names = "--groups",
      split = ",",
      description = "groups of the generated bots (default: ${DEFAULT-VALUE})")
  List<String> groups = List.of("spot-arb", "perp-momentum", "options-mm");

  @Option(
      names = "--heartbeat-interval",
      converter = Durations.class,
      description = "time between heartbeats (default: 15s)")
  Duration heartbeatInterval = Duration.ofSeconds(15);

  @Option(
      names = "--dead-man",
      converter = Durations.class,
      description = "safe mode after this long without the control plane (default: 60s)")
  Duration deadMan = Duration.ofSeconds(60);

  @Option(
      names = "--activity",
      description =
          "trading runs this many times faster than real time (the day still ends at UTC"
              + " midnight) (default: ${DEFAULT-VALUE})")
  double activity = 10;

  @Option(
      names = "--connections",
      description =
          "connections per service (default: one per 45 bots; HTTP/2 servers often allow 100"
              + " streams per connection and a bot holds two)")
  int connections;

  @Option(
      names = "--keepalive",
      converter = Durations.class,
      description = "keepalive ping interval of the connections; 0s: off (default: 30s)")
  Duration keepAlive = Connections.DEFAULT_KEEPALIVE;

  @Option(
      names = "--journal",
      description =
          "where each bot keeps its command journal: disk (beside its key file, so a revived bot"
              + " never repeats a command) or memory (default: ${DEFAULT-VALUE})")
  String journal = "disk";

  @Option(
      names = "--command-threads",
      description = "threads for all bots' commands (default: ${DEFAULT-VALUE})")
  int commandThreads = 4;

  @Option(
      names = "--scheduler-threads",
      description = "threads for all heartbeats and timers (default: ${DEFAULT-VALUE})")
  int schedulerThreads = 2;

  @Option(
      names = "--start-rate",
      description = "bots started per second (default: ${DEFAULT-VALUE})")
  int startRate = 200;

  @Option(
      names = "--control-port",
      description = "serve the control interface on 127.0.0.1:PORT (0: any free port)")
  Integer controlPort;

  @Option(
      names = "--fault",
      description = "a fault after a delay, e.g. \"90s kill spot-arb-01\" (repeatable)")
  List<String> faults = new ArrayList<>();

  @Option(
      names = "--status-every",
      converter = Durations.class,
      description = "print the fleet table this often; 0s: never (default: 30s)")
  Duration statusEvery = Duration.ofSeconds(30);

  @Option(
      names = "--duration",
      converter = Durations.class,
      description = "stop after this long (default: run until Ctrl-C)")
  Duration duration;

  @Option(names = "--no-stdin", description = "do not read fault commands from stdin")
  boolean noStdin;

  @Option(names = "--seed", description = "random seed, for a repeatable run")
  Long seed;

  @Option(
      names = "--log-level",
      description = "SDK log level: INFO, WARNING … (default: INFO up to 50 bots, else WARNING)")
  String logLevel;

  private final PrintStream out;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Simulator simulator;
  private volatile ControlServer control;

  /** For the command line. */
  public FleetSim() {
    this(System.out);
  }

  FleetSim(PrintStream out) {
    this.out = out;
  }

  /** Runs the simulator; exits with 0, or 1 after an error, 2 on bad options. */
  public static void main(String[] args) {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$-7s %5$s%6$s%n");
    FleetSim sim = new FleetSim();
    Runtime.getRuntime().addShutdownHook(new Thread(sim::stop, "sim-shutdown"));
    System.exit(new CommandLine(sim).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> tokensByName = new LinkedHashMap<>();
    List<BotProfile> profiles = new ArrayList<>();
    if (tokens != null) {
      Fleets.readTokens(tokens)
          .forEach(
              (profile, token) -> {
                profiles.add(profile);
                // "-": the bot enrolled on an earlier run and reuses its key file.
                if (!Fleets.NO_TOKEN.equals(token)) {
                  tokensByName.put(profile.name(), token);
                }
              });
    } else if (bots > 0) {
      profiles.addAll(Fleets.loadFleet(bots, groups));
    } else {
      profiles.addAll(Fleets.guideFleet());
    }
    Logger.getLogger("io.botfleet.sdk")
        .setLevel(
            Level.parse(logLevel != null ? logLevel : profiles.size() > 50 ? "WARNING" : "INFO"));

    int perEndpoint = connections > 0 ? connections : Math.max(1, (profiles.size() + 44) / 45);
    ExecutorService grpcThreads =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            task -> {
              Thread thread = new Thread(task, "sim-grpc");
              thread.setDaemon(true);
              return thread;
            });
    Connections shared =
        Connections.open(
            Endpoints.of(fleet, identity, permission, health, billing),
            perEndpoint,
            grpcThreads,
            keepAlive);
    simulator =
        new Simulator(
            new Simulator.Settings(
                heartbeatInterval,
                deadMan,
                activity,
                startRate,
                8,
                seed != null ? seed : ThreadLocalRandom.current().nextLong(),
                keysDir,
                journal()),
            shared,
            schedulerThreads,
            commandThreads);
    try {
      out.printf(
          "fleet-sim: starting %d bots (%d connections per service, keys in %s)%n",
          profiles.size(), perEndpoint, keysDir);
      simulator.start(profiles, tokensByName);
      FaultControl faultControl = new FaultControl(simulator);
      faultControl.schedule(faults, simulator.scheduler(), out);
      if (controlPort != null) {
        control = new ControlServer(controlPort, faultControl);
        out.printf(
            "fleet-sim: control on http://127.0.0.1:%d/control (e.g. curl -d 'kill %s' …)%n",
            control.port(), profiles.get(0).name());
      }
      if (!noStdin) {
        faultControl.readCommands(System.in, out);
      }
      if (!statusEvery.isZero()) {
        simulator
            .scheduler()
            .scheduleAtFixedRate(
                () -> out.print(StatusTable.render(simulator.bots(), 60)),
                Math.min(statusEvery.toMillis(), 5000),
                statusEvery.toMillis(),
                TimeUnit.MILLISECONDS);
      }
      out.printf("fleet-sim: %d bots running; type 'help' for faults%n", profiles.size());
      if (duration != null) {
        stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
      } else {
        stopped.await();
      }
      return 0;
    } catch (IllegalStateException | IllegalArgumentException e) {
      out.println("fleet-sim: " + e.getMessage());
      return 1;
    } finally {
      stop();
      shared.close();
      grpcThreads.shutdownNow();
    }
  }

  private Simulator.Journal journal() {
    return switch (journal) {
      case "disk" -> Simulator.Journal.DISK;
      case "memory" -> Simulator.Journal.MEMORY;
      default ->
          throw new CommandLine.ParameterException(
              new CommandLine(this), "--journal must be disk or memory, got " + journal);
    };
  }

  /** The running simulator (tests). */
  Simulator simulator() {
    return simulator;
  }

  /** Stops a running simulator (Ctrl-C, or a test). */
  synchronized void stop() {
    stopped.countDown();
    if (control != null) {
      control.close();
      control = null;
    }
    if (simulator != null) {
      simulator.close();
      simulator = null;
    }
  }
}
