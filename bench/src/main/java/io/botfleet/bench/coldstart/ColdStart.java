package io.botfleet.bench.coldstart;

import io.botfleet.bench.harness.Figures;
import io.botfleet.bench.harness.ServiceProcess;
import io.botfleet.devkit.TestDatabase;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.KeyFile;
import io.botfleet.signing.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cold start to ready of each service, and of the whole fleet started the way {@code ./fleet up}
 * starts it, but on free ports in 19000-19999 and with databases of its own (an embedded
 * PostgreSQL, a fresh database per service per start, so Flyway migrates from nothing each time),
 * so it never touches a fleet someone else runs on 8080-8085.
 *
 * <p>Each round: (1) one service at a time, in ./fleet up's order (identity first: the others load
 * their key caches from it), each measured from its process start to its first {@code
 * /q/health/ready} 200 while the services it calls are already up; all stopped. (2) The whole
 * fleet: identity, then the five others at once, as ./fleet up does: the time from identity's
 * process start until all six are ready. Same JVM options as ./fleet up.
 *
 * <p>Usage: {@code ColdStart [rounds=3] [jvm="-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"]}
 */
public final class ColdStart {

  static final List<String> SERVICES =
      List.of("identity", "permission", "health", "fleet", "deploy", "billing");
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);

  private final List<String> jvm;
  private final Path work;
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final String servicePublicKeys;

  private ColdStart(List<String> jvm, Path work) throws Exception {
    this.jvm = jvm;
    this.work = work;
    List<Integer> taken = new ArrayList<>();
    List<String> publicKeys = new ArrayList<>();
    for (String service : SERVICES) {
      int port = ServiceProcess.freePort(taken);
      taken.add(port);
      ports.put(service, port);
      Credentials credentials = new Credentials("svc-" + service, 1, SigningKey.generate());
      KeyFile.write(work.resolve(service + ".key"), credentials);
      publicKeys.add(service + ":" + credentials.key().publicKey().base64());
    }
    servicePublicKeys = String.join(",", publicKeys);
  }

  public static void main(String[] argv) throws Exception {
    System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
    Map<String, String> args = new HashMap<>();
    for (String a : argv) {
      int eq = a.indexOf('=');
      args.put(a.substring(0, eq), a.substring(eq + 1));
    }
    int rounds = Integer.parseInt(args.getOrDefault("rounds", "3"));
    List<String> jvm =
        List.of(
            args.getOrDefault("jvm", "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1")
                .trim()
                .split("\\s+"));
    Path work = Files.createDirectories(Path.of("bench", "target", "cold-start"));
    ColdStart bench = new ColdStart(jvm, work);
    System.out.printf("Cold start, %d rounds, JVM %s, ports %s%n", rounds, jvm, bench.ports);
    TestDatabase.create(); // the embedded PostgreSQL itself starts outside the measurement
    for (int round = 1; round <= rounds; round++) {
      bench.oneAtATime(round);
      bench.wholeFleet(round);
    }
    System.exit(0);
  }

  private void oneAtATime(int round) throws Exception {
    List<ServiceProcess> running = new ArrayList<>();
    try {
      for (String service : SERVICES) {
        ServiceProcess process = start(service, round, "alone");
        running.add(process);
        Duration ready = process.awaitReady(READY_TIMEOUT);
        System.out.printf(
            Locale.ROOT,
            "round %d: %s-service alone ready in %.2f s%n",
            round,
            service,
            ready.toMillis() / 1e3);
        Figures.report(
            "cold start, one service at a time", service + "-service", "s", ready.toMillis() / 1e3);
      }
    } finally {
      stopAll(running);
    }
  }

  private void wholeFleet(int round) throws Exception {
    List<ServiceProcess> running = new ArrayList<>();
    try {
      ServiceProcess identity = start("identity", round, "fleet");
      running.add(identity);
      long begin = identity.startedNanos();
      identity.awaitReady(READY_TIMEOUT);
      for (String service : SERVICES.subList(1, SERVICES.size())) {
        running.add(start(service, round, "fleet"));
      }
      for (ServiceProcess process : running) {
        process.awaitReady(READY_TIMEOUT);
      }
      double all = (System.nanoTime() - begin) / 1e9;
      System.out.printf(Locale.ROOT, "round %d: whole fleet ready in %.2f s%n", round, all);
      Figures.report(
          "cold start, whole fleet (as ./fleet up, own ports)", "all six ready", "s", all);
    } finally {
      stopAll(running);
    }
  }

  private ServiceProcess start(String service, int round, String phase) throws Exception {
    TestDatabase.Connection database = TestDatabase.create();
    Map<String, String> environment = new HashMap<>();
    environment.put("BOTFLEET_DB_URL", database.jdbcUrl());
    environment.put("BOTFLEET_DB_USER", database.user());
    environment.put("BOTFLEET_DB_PASSWORD", database.password());
    environment.put("BOTFLEET_SERVICE_KEY_FILE", work.resolve(service + ".key").toString());
    environment.put("BOTFLEET_IDENTITY_SERVICE_PUBLIC_KEYS", servicePublicKeys);
    environment.put(
        "BOTFLEET_IDENTITY_BOOTSTRAP_TOKEN_FILE",
        work.resolve("bootstrap-token-" + round + "-" + phase).toString());
    ports.forEach(
        (callee, port) -> {
          String prefix = "BOTFLEET_" + callee.toUpperCase(Locale.ROOT);
          environment.put(prefix + "_HOST", "127.0.0.1");
          environment.put(prefix + "_PORT", Integer.toString(port));
        });
    return ServiceProcess.start(
        service,
        Path.of(service + "-service", "target", "quarkus-app", "quarkus-run.jar"),
        ports.get(service),
        environment,
        jvm,
        work.resolve(service + "-" + phase + ".log"));
  }

  private static void stopAll(List<ServiceProcess> running) throws InterruptedException {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }
}
