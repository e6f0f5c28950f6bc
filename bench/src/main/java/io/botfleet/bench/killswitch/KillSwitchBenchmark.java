package io.botfleet.bench.killswitch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.botfleet.bench.harness.Figures;
import io.botfleet.bench.harness.ServiceProcess;
import io.botfleet.common.v1.Scope;
import io.botfleet.devkit.TestDatabase;
import io.botfleet.fleet.v1.EmergencyStopRequest;
import io.botfleet.fleet.v1.EmergencyStopResponse;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.GetCommandStatusRequest;
import io.botfleet.fleet.v1.InitFleetRequest;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SigningClientInterceptor;
import io.botfleet.signing.SigningKey;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The kill switch, measured (bench/README.md, goal 7): a fleet-wide emergency stop to N connected
 * simulated bots on loopback, from the operator's call to the last bot's acknowledgement recorded
 * by fleet-service; the first one after the service starts (cold) and the following ones (warm);
 * and, in the same run, the same payload broadcast to N MQTT subscribers through Mosquitto at QoS
 * 1.
 *
 * <p>Usage: {@code KillSwitchBenchmark [--bots 10000] [--connections 100] [--runs 30] [--port free]
 * [--stand-in-port free] [--mqtt-port free] [--no-cold-comparison] [--no-mqtt] [--jar
 * fleet-service/target/quarkus-app/quarkus-run.jar] [--jvm "-Xmx1g"]}
 */
public final class KillSwitchBenchmark {

  private final Map<String, String> args;
  private final int botCount;
  private final Path work;
  private final List<Credentials> bots = new ArrayList<>();
  private final Credentials operator = new Credentials("op-bench", 1, SigningKey.generate());
  private final StringBuilder report = new StringBuilder();
  private final Map<String, Integer> ports = new HashMap<>();

  private KillSwitchBenchmark(Map<String, String> args) throws Exception {
    this.args = args;
    this.botCount = Integer.parseInt(args.getOrDefault("bots", "10000"));
    this.work = Files.createDirectories(Path.of("bench", "target", "kill-switch"));
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      String key = argv[i].replaceFirst("^--", "");
      if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
        args.put(key, argv[++i]);
      } else {
        args.put(key, "true");
      }
    }
    new KillSwitchBenchmark(args).run();
    System.exit(0);
  }

  private void run() throws Exception {
    say(
        "Machine: %d cores, Java %s; bots %d over %s connections",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        botCount,
        args.getOrDefault("connections", "100"));
    for (int i = 0; i < botCount; i++) {
      bots.add(new Credentials(String.format("bot-bench-%05d", i), 1, SigningKey.generate()));
    }
    TestDatabase.Connection database = TestDatabase.create();
    try (StandIns standIns = new StandIns(port("stand-in-port", 19081), bots, operator)) {
      if (!args.containsKey("no-cold-comparison")) {
        say("%n== Without the start-up warm-up (botfleet.fleet.warmup.enabled=false) ==");
        List<Duration> noWarmup = killSwitch(database, standIns, false, 1);
        Figures.report(
            benchmark(),
            "first stop, service started without its warm-up",
            "ms",
            noWarmup.get(0).toMillis());
      }
      say("%n== As shipped (warm-up at start) ==");
      List<Duration> fleetRuns =
          killSwitch(database, standIns, true, Integer.parseInt(args.getOrDefault("runs", "30")));
      Figures.report(
          benchmark(), "operator call→last ack (cold)", "ms", fleetRuns.get(0).toMillis());
      for (Duration warm : fleetRuns.subList(Math.min(1, fleetRuns.size() - 1), fleetRuns.size())) {
        Figures.report(benchmark(), "operator call→last ack (warm)", "ms", warm.toMillis());
      }
      if (args.containsKey("no-mqtt")) {
        say("%n== Mosquitto comparison skipped (--no-mqtt) ==");
      } else {
        say("%n== Mosquitto QoS 1 broadcast of the same payload to %d subscribers ==", botCount);
        mqtt(fleetRuns);
      }
    }
    Files.writeString(work.resolve("results.txt"), report.toString());
    say("%nResults also in %s", work.resolve("results.txt"));
  }

  /** Starts fleet-service, connects the bots, stops them `runs` times; returns last-ack times. */
  private List<Duration> killSwitch(
      TestDatabase.Connection database, StandIns standIns, boolean warmup, int runs)
      throws Exception {
    int port = port("port", 19080);
    Map<String, String> environment = new HashMap<>();
    environment.put("BOTFLEET_DB_URL", database.jdbcUrl());
    environment.put("BOTFLEET_DB_USER", database.user());
    environment.put("BOTFLEET_DB_PASSWORD", database.password());
    for (String callee : List.of("IDENTITY", "PERMISSION", "HEALTH")) {
      environment.put("BOTFLEET_" + callee + "_HOST", "127.0.0.1");
      environment.put("BOTFLEET_" + callee + "_PORT", String.valueOf(standIns.port()));
    }
    environment.put("BOTFLEET_SERVICE_PRIVATE_KEY", SigningKey.generate().seedBase64());
    environment.put("BOTFLEET_FLEET_WARMUP_ENABLED", String.valueOf(warmup));
    environment.put("BOTFLEET_FLEET_KEY_ROTATION_ENABLED", "false");
    if (args.containsKey("debug")) {
      // Phase timings of each command and ack batch, in the service's log.
      environment.put("QUARKUS_LOG_CATEGORY__IO_BOTFLEET_FLEET_SERVICE__LEVEL", "DEBUG");
    }
    List<String> jvm = Arrays.asList(args.getOrDefault("jvm", "-Xmx1g").trim().split("\\s+"));
    Path jar =
        Path.of(args.getOrDefault("jar", "fleet-service/target/quarkus-app/quarkus-run.jar"));
    List<Duration> lastAcks = new ArrayList<>();
    try (FleetServiceProcess fleet =
        new FleetServiceProcess(
            jar,
            port,
            environment,
            jvm,
            work.resolve(warmup ? "fleet-service.log" : "fleet-service-no-warmup.log"))) {
      say("fleet-service ready in %d ms (JVM %s)", fleet.startup().toMillis(), jvm);
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      FleetServiceGrpc.FleetServiceBlockingStub stub =
          FleetServiceGrpc.newBlockingStub(channel)
              .withInterceptors(new SigningClientInterceptor(new RequestSigner(() -> operator)));
      stub.withDeadlineAfter(30, TimeUnit.SECONDS)
          .initFleet(InitFleetRequest.newBuilder().setOrganization("bench").build());
      insertBots(database);
      long connecting = System.nanoTime();
      try (SimulatedFleet fleetOfBots =
          new SimulatedFleet(
              port, bots, Integer.parseInt(args.getOrDefault("connections", "100")))) {
        awaitConnected(database);
        say("%d bots connected in %d ms", botCount, (System.nanoTime() - connecting) / 1_000_000);
        Thread.sleep(1000);
        Histogram perBot = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        List<Duration> calls = new ArrayList<>();
        List<Duration> received = new ArrayList<>();
        List<Duration> ackSent = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
          Result result = stop(stub, fleetOfBots);
          lastAcks.add(result.recorded());
          calls.add(result.call());
          received.add(result.lastReceived());
          ackSent.add(result.lastAckSent());
          if (run > 0 || runs == 1) {
            result.perBot().forEach(micros -> perBot.recordValue(Math.max(1, micros)));
          }
          say(
              "  run %2d%s: call returned %4d ms, last bot received %4d ms, last ack sent %4d ms,"
                  + " all acks recorded %4d ms",
              run + 1,
              run == 0 ? " (cold)" : "       ",
              result.call().toMillis(),
              result.lastReceived().toMillis(),
              result.lastAckSent().toMillis(),
              result.recorded().toMillis());
          Thread.sleep(1000);
        }
        if (runs > 1) {
          List<Duration> warm = lastAcks.subList(1, lastAcks.size());
          say(
              "warm runs (%d): operator call -> last ack recorded: p50 %d ms, p99 %d ms, max %d ms",
              warm.size(), percentile(warm, 50), percentile(warm, 99), percentile(warm, 100));
          say(
              "warm runs: last bot received: p50 %d ms, p99 %d ms; call returned: p50 %d ms",
              percentile(received.subList(1, runs), 50),
              percentile(received.subList(1, runs), 99),
              percentile(calls.subList(1, runs), 50));
          say(
              "per bot, warm runs: command received after p50 %.1f ms, p99 %.1f ms",
              perBot.getValueAtPercentile(50) / 1000.0, perBot.getValueAtPercentile(99) / 1000.0);
        }
      }
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    resetBots(database);
    return lastAcks;
  }

  private record Result(
      Duration call,
      Duration lastReceived,
      Duration lastAckSent,
      Duration recorded,
      List<Long> perBot) {}

  private Result stop(FleetServiceGrpc.FleetServiceBlockingStub stub, SimulatedFleet fleet)
      throws InterruptedException {
    CountDownLatch all = fleet.expect(botCount);
    long start = System.nanoTime();
    EmergencyStopResponse answer =
        stub.withDeadlineAfter(60, TimeUnit.SECONDS)
            .emergencyStop(
                EmergencyStopRequest.newBuilder()
                    .setScope(Scope.newBuilder().setFleet(true))
                    .setReason("benchmark: exchange outage drill")
                    .setRequestId(UUID.randomUUID().toString())
                    .build());
    long call = System.nanoTime() - start;
    if (answer.getBotIdsCount() != botCount) {
      throw new IllegalStateException(
          "stopped " + answer.getBotIdsCount() + " bots, not " + botCount);
    }
    // Recorded: poll the command's delivery counts until every delivery is DONE.
    String commandId = answer.getCommand().getId();
    long recorded;
    while (true) {
      int done =
          stub.withDeadlineAfter(10, TimeUnit.SECONDS)
              .getCommandStatus(
                  GetCommandStatusRequest.newBuilder()
                      .setCommandId(commandId)
                      .setPageSize(1)
                      .build())
              .getCommand()
              .getDeliveryCountsOrDefault("done", 0);
      if (done == botCount) {
        recorded = System.nanoTime() - start;
        break;
      }
      if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(60)) {
        throw new IllegalStateException("only " + done + " acks recorded after 60 s");
      }
      // Each poll is a real GetCommandStatus (counts over every delivery): not too often, or
      // the poll itself slows what it measures on a 2-core machine.
      Thread.sleep(25);
    }
    if (!all.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(all.getCount() + " bots got nothing");
    }
    long lastReceived = 0;
    long lastAck = 0;
    List<Long> perBot = new ArrayList<>();
    for (long[] times : fleet.times().values()) {
      lastReceived = Math.max(lastReceived, times[0] - start);
      lastAck = Math.max(lastAck, times[1] - start);
      perBot.add((times[0] - start) / 1000);
    }
    return new Result(
        Duration.ofNanos(call),
        Duration.ofNanos(lastReceived),
        Duration.ofNanos(lastAck),
        Duration.ofNanos(recorded),
        perBot);
  }

  private void mqtt(List<Duration> fleetRuns) throws Exception {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("command", "emergency_stop");
    payload.put("reason", "benchmark: exchange outage drill");
    payload.put(
        "actions",
        List.of("cancel_all_open_orders", "close_all_positions_market", "halt_trading_loop"));
    payload.put("timestamp", Instant.now().toString());
    byte[] bytes = new ObjectMapper().writeValueAsBytes(payload);
    int runs = fleetRuns.size();
    List<Duration> times = new ArrayList<>();
    long connecting = System.nanoTime();
    try (MosquittoBroadcast mqtt =
        new MosquittoBroadcast(port("mqtt-port", 19883), botCount, work)) {
      say(
          "%d MQTT subscribers connected in %d ms",
          botCount, (System.nanoTime() - connecting) / 1_000_000);
      for (int run = 0; run < runs; run++) {
        Duration time = mqtt.broadcast(bytes, Duration.ofSeconds(30));
        times.add(time);
        say("  run %2d: last subscriber received %4d ms", run + 1, time.toMillis());
        Figures.report(
            benchmark(),
            run == 0
                ? "Mosquitto QoS 1: publish→last subscriber (first)"
                : "Mosquitto QoS 1: publish→last subscriber (warm)",
            "ms",
            time.toMillis());
        if (run > 0 || runs == 1) {
          // Warm against warm: the first stop of each is its cold one.
          Figures.report(
              benchmark(),
              "ratio botfleet last ack ÷ Mosquitto last receipt (warm)",
              "×",
              (double) fleetRuns.get(run).toMillis() / Math.max(1, time.toMillis()));
        }
        Thread.sleep(500);
      }
    }
    List<Duration> warmMqtt = times.subList(Math.min(1, runs - 1), runs);
    List<Duration> warmFleet = fleetRuns.subList(Math.min(1, runs - 1), runs);
    say("MQTT warm runs: p50 %d ms, p99 %d ms", percentile(warmMqtt, 50), percentile(warmMqtt, 99));
    say(
        "ratio botfleet (last ack recorded) / Mosquitto (last subscriber received), p50: %.1f",
        (double) percentile(warmFleet, 50) / Math.max(1, percentile(warmMqtt, 50)));
  }

  private String benchmark() {
    return "emergency stop " + botCount + " bots";
  }

  private int port(String name, int fallback) throws java.io.IOException {
    if (args.containsKey(name)) {
      return Integer.parseInt(args.get(name));
    }
    if (!ports.containsKey(name)) {
      ports.put(name, ServiceProcess.freePort(List.copyOf(ports.values())));
    }
    return ports.get(name);
  }

  private void insertBots(TestDatabase.Connection database) throws Exception {
    try (Connection connection =
            DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
        PreparedStatement insert =
            connection.prepareStatement(
                "insert into fleet.bots (id, name, bot_group, exchange, strategy, version, status,"
                    + " max_position_usd, tier, registered_at)"
                    + " select 'bot-bench-' || lpad(g::text, 5, '0'), 'bot-bench-' || lpad(g::text, 5, '0'),"
                    + " (array['spot-arb', 'perp-momentum', 'options-mm'])[1 + g % 3], 'binance',"
                    + " 'bench', '1.0.0', 'PENDING', 10000, 'trade', now()"
                    + " from generate_series(0, ? - 1) g on conflict (id) do nothing")) {
      insert.setInt(1, botCount);
      insert.executeUpdate();
    }
  }

  /** Back to active and empty-handed, so the next phase starts from the same state. */
  private void resetBots(TestDatabase.Connection database) throws Exception {
    try (Connection connection =
            DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
        PreparedStatement reset =
            connection.prepareStatement(
                "update fleet.bots set status = 'PENDING', control = 'ACTIVE', connected_replica = null"
                    + " where id like 'bot-bench-%'")) {
      reset.executeUpdate();
    }
  }

  private void awaitConnected(TestDatabase.Connection database) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    try (Connection connection =
            DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
        PreparedStatement count =
            connection.prepareStatement(
                "select count(*) from fleet.bots where connected_replica is not null"
                    + " and status = 'ACTIVE' and id like 'bot-bench-%'")) {
      while (true) {
        try (ResultSet row = count.executeQuery()) {
          row.next();
          if (row.getInt(1) == botCount) {
            return;
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("only " + row.getInt(1) + " bots connected");
          }
        }
        Thread.sleep(250);
      }
    }
  }

  private static long percentile(List<Duration> values, int percentile) {
    List<Long> sorted = values.stream().map(Duration::toMillis).sorted().toList();
    int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private void say(String format, Object... values) {
    String line = String.format(Locale.ROOT, format, values);
    System.out.println(line);
    report.append(line).append('\n');
  }
}
