package io.botfleet.bench.health;

import com.google.protobuf.Duration;
import io.botfleet.bench.harness.Figures;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.health.v1.HealthEventType;
import io.botfleet.health.v1.HealthPolicy;
import io.botfleet.health.v1.SetHealthPolicyRequest;
import io.botfleet.health.v1.TrackBotRequest;
import io.botfleet.health.v1.WatchHealthRequest;
import io.botfleet.health.v1.WatchHealthResponse;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SigningClientInterceptor;
import io.botfleet.signing.SigningKey;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.nio.NioEventLoopGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Load generator for health-service: N simulated bots (default 10,000), each with its own key,
 * connection and heartbeat stream, against a health-service started for the run (its own
 * PostgreSQL, its key feed pointed at a stand-in that trusts the generated bots). Measures the
 * sustained heartbeat rate and send→answer latency at one heartbeat per bot per second, the ceiling
 * at higher rates, memory per connected bot, dead-bot detection delay, and false deaths through a
 * reconnect storm. The generator shares the machine's cores with the service.
 *
 * <p>Usage: {@code HeartbeatLoad [bots=10000] [port=19083] [warmup=20] [measure=60] [ceiling=2,4,8]
 * [dead=1000] [storm=true] [rate=1] [jar=health-service/target/quarkus-app/quarkus-run.jar]
 * [opts=-Xmx1g]}; {@code dead=0} skips the dead-bot phase, {@code ceiling=} the ceiling, {@code
 * storm=false} the reconnect storm; {@code rate} is the heartbeat rate per bot outside the measured
 * windows (the dead-bot phase runs at it: 0.2 is a bot heartbeating every 5 s).
 */
public final class HeartbeatLoad {

  private static final String GROUP = "bench";
  private static final int DEAD_AFTER_SECONDS = 20;
  private static final int SLICE_SECONDS = 10;

  private final Map<String, String> args;
  private final int bots;
  private final SimulatedBot.Stats stats = new SimulatedBot.Stats();
  private final List<SimulatedBot> fleet = new ArrayList<>();
  private final StringBuilder report = new StringBuilder();
  private final NioEventLoopGroup loops = new NioEventLoopGroup(2);
  private volatile double rate;
  private volatile long rateStart;
  private volatile boolean sending = true;
  private Credentials fleetService;
  private Credentials operator;
  private ServiceUnderTest service;
  private ManagedChannel control;

  private HeartbeatLoad(Map<String, String> args) {
    this.args = args;
    this.bots = Integer.parseInt(args.getOrDefault("bots", "10000"));
  }

  /** Runs every phase and prints the report (also written to bench/target/health-report.md). */
  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>();
    for (String a : argv) {
      int eq = a.indexOf('=');
      args.put(a.substring(0, eq), a.substring(eq + 1));
    }
    new HeartbeatLoad(args).run();
    System.exit(0);
  }

  private void run() throws Exception {
    List<KeyFeedStandIn.Trusted> trusted = new ArrayList<>();
    fleetService = new Credentials("svc-fleet", 1, SigningKey.generate());
    operator = new Credentials("op-bench", 1, SigningKey.generate());
    trusted.add(
        new KeyFeedStandIn.Trusted(
            fleetService,
            PrincipalKind.PRINCIPAL_KIND_SERVICE,
            OperatorRole.OPERATOR_ROLE_UNSPECIFIED,
            "fleet"));
    trusted.add(
        new KeyFeedStandIn.Trusted(
            operator,
            PrincipalKind.PRINCIPAL_KIND_OPERATOR,
            OperatorRole.OPERATOR_ROLE_ADMIN,
            "bench"));
    for (int i = 0; i < bots; i++) {
      Credentials c = new Credentials(String.format("bot-%016x", i + 1L), 1, SigningKey.generate());
      trusted.add(
          new KeyFeedStandIn.Trusted(
              c,
              PrincipalKind.PRINCIPAL_KIND_BOT,
              OperatorRole.OPERATOR_ROLE_UNSPECIFIED,
              c.agentId()));
      fleet.add(new SimulatedBot(c, stats));
    }
    int port = Integer.parseInt(args.getOrDefault("port", "19083"));
    Path jar =
        Path.of(args.getOrDefault("jar", "health-service/target/quarkus-app/quarkus-run.jar"));
    List<String> opts = List.of(args.getOrDefault("opts", "-Xmx1g").split(" "));
    try (KeyFeedStandIn feed = new KeyFeedStandIn(trusted)) {
      line("# health-service load run, %d bots, %s", bots, java.time.Instant.now());
      line("service JVM options: %s; load generator in the same machine (shares its cores)", opts);
      service =
          new ServiceUnderTest(
              jar, port, feed.port(), opts, Path.of("bench/target/health-service.log"));
      try {
        line("PostgreSQL: %s", service.postgresSettings());
        control = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        phases();
      } finally {
        sending = false;
        for (SimulatedBot bot : fleet) {
          bot.close();
        }
        control.shutdownNow();
        service.close();
        loops.shutdownGracefully();
      }
    }
    Files.createDirectories(Path.of("bench/target"));
    Files.writeString(Path.of("bench/target/health-report.md"), report);
  }

  private void phases() throws Exception {
    long heapIdle = service.heapAfterGc();
    long rssIdle = service.residentBytes();
    setPolicy();
    long t0 = System.nanoTime();
    trackAll();
    line("tracked %d bots in %.1f s", bots, (System.nanoTime() - t0) / 1e9);

    Thread sender = new Thread(this::sendLoop, "sender");
    sender.setDaemon(true);
    sender.start();
    t0 = System.nanoTime();
    fleet.forEach(b -> b.connect(loops, port()));
    setRate(baseRate());
    awaitAnswers(fleet, 60);
    line(
        "connected %d bots (all at once) and got a first answer from each in %.1f s",
        bots, (System.nanoTime() - t0) / 1e9);

    int measure = Integer.parseInt(args.getOrDefault("measure", "60"));
    if (measure > 0) {
      setRate(1);
      sleep(Integer.parseInt(args.getOrDefault("warmup", "20")));
      window("1 heartbeat/s per bot", measure, 1);
      setRate(baseRate());
    } else {
      sleep(Integer.parseInt(args.getOrDefault("warmup", "20")));
    }

    long heapLoaded = service.heapAfterGc();
    long rssLoaded = service.residentBytes();
    line(
        "memory: heap after GC %.0f MiB idle, %.0f MiB with %d connected bots → %.1f KiB per bot;"
            + " RSS %.0f → %.0f MiB → %.1f KiB per bot",
        heapIdle / 1048576.0,
        heapLoaded / 1048576.0,
        bots,
        (heapLoaded - heapIdle) / 1024.0 / bots,
        rssIdle / 1048576.0,
        rssLoaded / 1048576.0,
        (rssLoaded - rssIdle) / 1024.0 / bots);
    Figures.report(
        "heartbeat " + bots + " bots",
        "heap per connected bot",
        "KiB",
        (heapLoaded - heapIdle) / 1024.0 / bots);
    Figures.report(
        "heartbeat " + bots + " bots",
        "RSS per connected bot",
        "KiB",
        (rssLoaded - rssIdle) / 1024.0 / bots);

    for (String step : args.getOrDefault("ceiling", "2,4,8").split(",")) {
      if (step.isBlank()) {
        continue;
      }
      double perBot = Double.parseDouble(step);
      setRate(perBot);
      sleep(5);
      boolean ok = window(step + " heartbeats/s per bot", 20, perBot);
      reconnectBroken();
      if (!ok) {
        break;
      }
    }
    setRate(baseRate());
    reconnectBroken();
    sleep(15);

    if (Integer.parseInt(args.getOrDefault("dead", "1000")) > 0) {
      deadDetection();
    }
    if (Boolean.parseBoolean(args.getOrDefault("storm", "true"))) {
      reconnectStorm();
    }
  }

  /** Measures one window; true if the service kept up (p99 < 50 ms, answers ≥ 95 % offered). */
  private boolean window(String label, int seconds, double perBot) throws Exception {
    double commits = service.metric("botfleet_health_writer_commit_seconds_count");
    double commitTime = service.metric("botfleet_health_writer_commit_seconds_sum");
    stats.latencyMicros.getIntervalHistogram();
    long answers = stats.answers.sum();
    long errors = stats.streamErrors.sum();
    long cpu = cpuMillis(service.pid());
    long start = System.nanoTime();
    // Slices of the window are the runs bench/run takes the median and spread over.
    Histogram h = new Histogram(3);
    int slices = Math.max(1, seconds / SLICE_SECONDS);
    for (int slice = 0; slice < slices; slice++) {
      long sliceAnswers = stats.answers.sum();
      long sliceStart = System.nanoTime();
      sleep(seconds / slices);
      Histogram part = stats.latencyMicros.getIntervalHistogram();
      h.add(part);
      if (perBot == 1) {
        double rate =
            (stats.answers.sum() - sliceAnswers) / ((System.nanoTime() - sliceStart) / 1e9);
        String benchmark = "heartbeat " + bots + " bots";
        Figures.report(benchmark, "heartbeats answered", "per s", rate);
        Figures.report(benchmark, "send→answer p50", "ms", part.getValueAtPercentile(50) / 1000.0);
        Figures.report(benchmark, "send→answer p99", "ms", part.getValueAtPercentile(99) / 1000.0);
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    double achieved = (stats.answers.sum() - answers) / elapsed;
    if (perBot == 1) {
      Figures.report(
          "heartbeat " + bots + " bots",
          "service CPU per connected bot",
          "µs CPU per s",
          (cpuMillis(service.pid()) - cpu) * 1000.0 / elapsed / bots);
    }
    double offered = perBot * bots;
    line(
        "%s: offered %.0f/s, answered %.0f/s; send→answer p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms,"
            + " max %.1f ms; streams lost %d",
        label,
        offered,
        achieved,
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getValueAtPercentile(99.9) / 1000.0,
        h.getMaxValue() / 1000.0,
        stats.streamErrors.sum() - errors);
    if (!stats.errorKinds.isEmpty()) {
      line("  stream errors so far: %s", stats.errorKinds);
    }
    double n = service.metric("botfleet_health_writer_commit_seconds_count") - commits;
    double t = service.metric("botfleet_health_writer_commit_seconds_sum") - commitTime;
    line(
        "  writer: %.0f transactions/s, %.1f heartbeats per transaction, %.1f ms per transaction"
            + " (mean); service CPU %.0f %% of the machine",
        n / elapsed,
        achieved * elapsed / Math.max(1, n),
        1000 * t / Math.max(1, n),
        100 * service.metric("process_cpu_usage"));
    return h.getValueAtPercentile(99) < 50_000 && achieved >= 0.95 * offered;
  }

  private void deadDetection() throws Exception {
    int dead = Math.min(Integer.parseInt(args.getOrDefault("dead", "1000")), bots / 10);
    Watch watch = new Watch();
    sleep(2);
    Set<String> killed = new HashSet<>();
    Map<String, Long> killedAt = new ConcurrentHashMap<>();
    // Waves of 10 % of them, a second apart: well under the mass-silence share.
    for (int wave = 0; wave < 10; wave++) {
      for (int i = wave * dead / 10; i < (wave + 1) * dead / 10; i++) {
        SimulatedBot bot = fleet.get(i);
        bot.cut();
        killed.add(bot.credentials.agentId());
        killedAt.put(bot.credentials.agentId(), System.currentTimeMillis());
      }
      sleep(1);
    }
    sleep(DEAD_AFTER_SECONDS + 5);
    Histogram decided = new Histogram(3);
    Histogram seen = new Histogram(3);
    int falseDeaths = 0;
    for (WatchHealthResponse e : watch.deaths) {
      if (!killed.contains(e.getBotId())) {
        falseDeaths++;
        continue;
      }
      long deadline = millis(e.getLastHeartbeatTime()) + DEAD_AFTER_SECONDS * 1000L;
      decided.recordValue(Math.max(0, millis(e.getEventTime()) - deadline));
      seen.recordValue(Math.max(0, watch.receivedAt.get(e.getBotId()) - deadline));
    }
    line(
        "dead-bot detection (%d of %d bots stopped in 10 waves, threshold %d s): %d flagged,"
            + " %d other bots flagged; delay after the deadline to the decision p50 %d ms, p99 %d"
            + " ms, max %d ms; to a WatchHealth client p50 %d ms, p99 %d ms, max %d ms",
        dead,
        bots,
        DEAD_AFTER_SECONDS,
        decided.getTotalCount(),
        falseDeaths,
        decided.getValueAtPercentile(50),
        decided.getValueAtPercentile(99),
        decided.getMaxValue(),
        seen.getValueAtPercentile(50),
        seen.getValueAtPercentile(99),
        seen.getMaxValue());
    String benchmark = "dead-bot detection " + bots + " bots";
    if (decided.getTotalCount() > 0) {
      // No delay to report when no death reached the watch in time (an empty histogram says 0).
      Figures.report(benchmark, "deadline→decision p50", "ms", decided.getValueAtPercentile(50));
      Figures.report(benchmark, "deadline→decision p99", "ms", decided.getValueAtPercentile(99));
      Figures.report(benchmark, "deadline→decision max", "ms", decided.getMaxValue());
      Figures.report(
          benchmark, "deadline→WatchHealth client p99", "ms", seen.getValueAtPercentile(99));
    }
    Figures.report(benchmark, "heartbeats/s per bot meanwhile", "per s", baseRate());
    Figures.report(
        benchmark, "bots flagged of those stopped", "%", 100.0 * decided.getTotalCount() / dead);
    Figures.report(benchmark, "live bots flagged dead", "bots", falseDeaths);
    watch.close();
    // Bring them back for the storm.
    for (int i = 0; i < dead; i++) {
      fleet.get(i).connect(loops, port());
    }
    sleep(DEAD_AFTER_SECONDS / 2);
  }

  private void reconnectStorm() throws Exception {
    Watch watch = new Watch();
    sleep(2);
    long cutAt = System.currentTimeMillis();
    fleet.forEach(SimulatedBot::cut);
    sleep(2);
    long t0 = System.nanoTime();
    fleet.forEach(b -> b.connect(loops, port()));
    awaitAnswers(fleet, 120);
    double back = (System.nanoTime() - t0) / 1e9;
    sleep(DEAD_AFTER_SECONDS + 5);
    long falseDeaths = watch.deaths.stream().filter(e -> millis(e.getEventTime()) >= cutAt).count();
    line(
        "reconnect storm: all %d streams cut, reconnected at once 2 s later; every bot answered"
            + " again within %.1f s; bots declared dead: %d; mass silences: %d",
        bots, back, falseDeaths, watch.silences.size());
    watch.close();
  }

  private void sendLoop() {
    long sent = 0;
    long start = 0;
    while (sending) {
      double r = rate;
      if (rateStart != start) {
        start = rateStart;
        sent = 0;
      }
      if (r > 0) {
        long due = (long) ((System.nanoTime() - start) / 1e9 * r * bots);
        for (; sent < due; sent++) {
          SimulatedBot bot = fleet.get((int) (sent % bots));
          if (bot.open) {
            try {
              bot.send();
            } catch (RuntimeException e) {
              bot.open = false;
            }
          }
        }
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Heartbeats per second per bot outside the measured windows (default 1). */
  private double baseRate() {
    return Double.parseDouble(args.getOrDefault("rate", "1"));
  }

  private void setRate(double perBot) {
    rate = perBot;
    rateStart = System.nanoTime();
  }

  private void reconnectBroken() {
    for (SimulatedBot bot : fleet) {
      if (!bot.open) {
        bot.connect(loops, port());
      }
    }
  }

  private void awaitAnswers(List<SimulatedBot> bots, int seconds) throws InterruptedException {
    long since = System.nanoTime();
    long until = since + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < until) {
      if (bots.stream().allMatch(b -> b.lastAnswerNanos > since)) {
        return;
      }
      Thread.sleep(100);
    }
    long missing = bots.stream().filter(b -> b.lastAnswerNanos <= since).count();
    line(
        "warning: %d bots got no answer within %d s; stream errors: %s",
        missing, seconds, stats.errorKinds);
  }

  private void setPolicy() {
    stub(operator)
        .setHealthPolicy(
            SetHealthPolicyRequest.newBuilder()
                .setPolicy(
                    HealthPolicy.newBuilder()
                        .setGroup(GROUP)
                        .setHeartbeatInterval(Duration.newBuilder().setSeconds(1))
                        .setDeadAfter(Duration.newBuilder().setSeconds(DEAD_AFTER_SECONDS)))
                .build());
  }

  private void trackAll() throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (SimulatedBot bot : fleet) {
      pool.execute(
          () ->
              stub(fleetService)
                  .trackBot(
                      TrackBotRequest.newBuilder()
                          .setBotId(bot.credentials.agentId())
                          .setBotName(bot.credentials.agentId())
                          .setGroup(GROUP)
                          .setExchange("binance")
                          .setStrategy("bench")
                          .build()));
    }
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.MINUTES);
  }

  private FleetHealthServiceGrpc.FleetHealthServiceBlockingStub stub(Credentials as) {
    return FleetHealthServiceGrpc.newBlockingStub(control)
        .withInterceptors(new SigningClientInterceptor(new RequestSigner(() -> as)))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private int port() {
    return service.port();
  }

  private void line(String format, Object... values) {
    String text = String.format(format, values);
    System.out.println(text);
    report.append("- ").append(text).append('\n');
  }

  private static void sleep(int seconds) throws InterruptedException {
    Thread.sleep(seconds * 1000L);
  }

  /** CPU time (user + system) of a process so far, ms (Linux /proc, clock ticks of 10 ms). */
  private static long cpuMillis(long pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
  }

  private static long millis(com.google.protobuf.Timestamp t) {
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }

  /** A WatchHealth subscription (as fleet-service) collecting deaths and mass silences. */
  private final class Watch implements StreamObserver<WatchHealthResponse> {
    final List<WatchHealthResponse> deaths = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<WatchHealthResponse> silences = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Map<String, Long> receivedAt = new ConcurrentHashMap<>();
    private final io.grpc.Context.CancellableContext context =
        io.grpc.Context.current().withCancellation();

    Watch() {
      io.grpc.Context previous = context.attach();
      try {
        FleetHealthServiceGrpc.newStub(control)
            .withInterceptors(new SigningClientInterceptor(new RequestSigner(() -> fleetService)))
            .watchHealth(
                WatchHealthRequest.newBuilder()
                    .setAfterSequence(Long.MAX_VALUE / 2) // not resumable: snapshot, then live
                    .addTypes(HealthEventType.HEALTH_EVENT_TYPE_BOT_DEAD)
                    .addTypes(HealthEventType.HEALTH_EVENT_TYPE_MASS_SILENCE_STARTED)
                    .build(),
                this);
      } finally {
        context.detach(previous);
      }
    }

    void close() {
      context.cancel(null);
    }

    @Override
    public void onNext(WatchHealthResponse e) {
      if (e.getType() == HealthEventType.HEALTH_EVENT_TYPE_BOT_DEAD) {
        receivedAt.put(e.getBotId(), System.currentTimeMillis());
        deaths.add(e);
      } else if (e.getType() == HealthEventType.HEALTH_EVENT_TYPE_MASS_SILENCE_STARTED) {
        silences.add(e);
      }
    }

    @Override
    public void onError(Throwable t) {
      System.err.println("WatchHealth failed: " + t);
    }

    @Override
    public void onCompleted() {}
  }
}
