package io.botfleet.bench.identity;

import io.botfleet.bench.harness.Figures;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.KeyEventType;
import io.botfleet.identity.v1.RegisterAgentRequest;
import io.botfleet.identity.v1.RevokeIdentityRequest;
import io.botfleet.identity.v1.WatchKeysRequest;
import io.botfleet.identity.v1.WatchKeysResponse;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SigningClientInterceptor;
import io.botfleet.signing.SigningKey;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;

/**
 * Time from RevokeIdentity to WatchKeys subscribers seeing the revocation (goal: under 100 ms).
 *
 * <p>Starts a real identity-service (its packaged jar, its own embedded PostgreSQL), registers
 * bots, opens WatchKeys streams as the five other services would (one channel each), then revokes
 * bots one at a time. For each revocation it measures, from just before the RevokeIdentity call:
 * the call's round trip (the revocation is committed when it returns), and the moment the first and
 * the last subscriber received IDENTITY_REVOKED for that bot.
 *
 * <p>Usage: {@code RevocationLatency [--bots 600] [--revocations 500] [--warmup 50] [--subscribers
 * 5] [--pause-ms 20] [--jar identity-service/target/quarkus-app/quarkus-run.jar]}
 */
public final class RevocationLatency {

  private static final String[] SERVICES = {"permission", "health", "deploy", "billing", "fleet"};

  private RevocationLatency() {}

  public static void main(String[] args) throws Exception {
    // devkit brings Quarkus' log manager; name it before anything logs, or JUL complains.
    System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
    Map<String, String> options = options(args);
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "50"));
    int revocations = Integer.parseInt(options.getOrDefault("revocations", "500"));
    int bots = Integer.parseInt(options.getOrDefault("bots", "" + (warmup + revocations + 50)));
    int subscribers = Integer.parseInt(options.getOrDefault("subscribers", "5"));
    long pauseMillis = Long.parseLong(options.getOrDefault("pause-ms", "20"));
    Path jar =
        Path.of(options.getOrDefault("jar", "identity-service/target/quarkus-app/quarkus-run.jar"));
    if (bots < warmup + revocations) {
      throw new IllegalArgumentException("--bots must be at least --warmup + --revocations");
    }

    Map<String, SigningKey> keys = new LinkedHashMap<>();
    for (String service : SERVICES) {
      keys.put(service, SigningKey.generate());
    }
    String publicKeys =
        String.join(
            ",",
            keys.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue().publicKey().base64())
                .toList());

    long started = System.nanoTime();
    try (IdentityServiceProcess service =
        IdentityServiceProcess.start(
            jar, publicKeys, List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))) {
      System.out.printf(
          "identity-service ready on 127.0.0.1:%d in %d ms%n",
          service.port(), (System.nanoTime() - started) / 1_000_000);
      List<ManagedChannel> channels = new ArrayList<>();
      try {
        ManagedChannel fleetChannel = channel(service.port(), channels);
        var fleet =
            sign(IdentityServiceGrpc.newBlockingStub(fleetChannel), "fleet", keys.get("fleet"));

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < bots; i++) {
          ids.add(
              fleet
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .registerAgent(
                      RegisterAgentRequest.newBuilder()
                          .setName(String.format("bench-bot-%05d", i))
                          .setOrganization("bench")
                          .setKind(PrincipalKind.PRINCIPAL_KIND_BOT)
                          .setGroup("spot-arb")
                          .setPublicKey(SigningKey.generate().publicKey().base64())
                          .build())
                  .getIdentity()
                  .getId());
        }
        System.out.printf("%d bots registered%n", bots);

        AtomicBoolean closing = new AtomicBoolean();
        Map<String, CountDownLatch> pending = new ConcurrentHashMap<>();
        Map<String, long[]> seenAt = new ConcurrentHashMap<>();
        CountDownLatch snapshots = new CountDownLatch(subscribers);
        for (int s = 0; s < subscribers; s++) {
          String name = SERVICES[s % SERVICES.length];
          int index = s;
          sign(IdentityServiceGrpc.newStub(channel(service.port(), channels)), name, keys.get(name))
              .watchKeys(
                  WatchKeysRequest.getDefaultInstance(),
                  new StreamObserver<>() {
                    @Override
                    public void onNext(WatchKeysResponse event) {
                      long now = System.nanoTime();
                      if (event.getType() == KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_END) {
                        snapshots.countDown();
                      } else if (event.getType() == KeyEventType.KEY_EVENT_TYPE_IDENTITY_REVOKED) {
                        String agent = event.getKey().getAgentId();
                        long[] times = seenAt.get(agent);
                        CountDownLatch latch = pending.get(agent);
                        if (times != null && latch != null) {
                          times[index] = now;
                          latch.countDown();
                        }
                      }
                    }

                    @Override
                    public void onError(Throwable t) {
                      if (!closing.get()) {
                        System.err.println("subscriber " + index + " failed: " + t);
                      }
                    }

                    @Override
                    public void onCompleted() {}
                  });
        }
        if (!snapshots.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("subscribers did not get their snapshots");
        }

        Histogram call = new Histogram(60_000_000L, 3);
        Histogram first = new Histogram(60_000_000L, 3);
        Histogram last = new Histogram(60_000_000L, 3);
        Histogram afterAnswer = new Histogram(60_000_000L, 3);
        int missed = 0;
        for (int i = 0; i < warmup + revocations; i++) {
          String agent = ids.get(i);
          CountDownLatch latch = new CountDownLatch(subscribers);
          long[] times = new long[subscribers];
          seenAt.put(agent, times);
          pending.put(agent, latch);
          long t0 = System.nanoTime();
          fleet
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .revokeIdentity(
                  RevokeIdentityRequest.newBuilder().setAgentId(agent).setReason("bench").build());
          long t1 = System.nanoTime();
          boolean all = latch.await(5, TimeUnit.SECONDS);
          if (i >= warmup) {
            if (!all) {
              missed++;
            } else {
              long firstSeen = Long.MAX_VALUE;
              long lastSeen = 0;
              for (long t : times) {
                firstSeen = Math.min(firstSeen, t);
                lastSeen = Math.max(lastSeen, t);
              }
              call.recordValue((t1 - t0) / 1000);
              first.recordValue(Math.max(0, firstSeen - t0) / 1000);
              last.recordValue(Math.max(0, lastSeen - t0) / 1000);
              afterAnswer.recordValue(Math.max(0, lastSeen - t1) / 1000);
            }
          }
          if (pauseMillis > 0) {
            Thread.sleep(pauseMillis);
          }
        }

        System.out.printf(
            "%n%d revocations measured (after %d warm-up), %d subscribers, %d bots registered%n",
            revocations, warmup, subscribers, bots);
        System.out.printf(
            "%-44s %8s %8s %8s %8s %8s%n",
            "from RevokeIdentity sent to", "p50", "p90", "p99", "max", "mean");
        print("its answer (committed)", call);
        print("the first subscriber seeing it", first);
        print("the last subscriber seeing it", last);
        System.out.printf("%-44s%n", "from its answer (committed) to");
        print("  the last subscriber seeing it", afterAnswer);
        System.out.printf("revocations not seen by every subscriber within 5 s: %d%n", missed);
        String benchmark = "revocation to WatchKeys";
        Figures.report(
            benchmark, "revoke→last subscriber p50", "ms", last.getValueAtPercentile(50) / 1000.0);
        Figures.report(
            benchmark, "revoke→last subscriber p99", "ms", last.getValueAtPercentile(99) / 1000.0);
        Figures.report(
            benchmark,
            "answer→last subscriber p99",
            "ms",
            afterAnswer.getValueAtPercentile(99) / 1000.0);
        closing.set(true);
      } finally {
        for (ManagedChannel channel : channels) {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static void print(String what, Histogram histogram) {
    System.out.printf(
        "%-44s %6.1fms %6.1fms %6.1fms %6.1fms %6.1fms%n",
        what,
        histogram.getValueAtPercentile(50) / 1000.0,
        histogram.getValueAtPercentile(90) / 1000.0,
        histogram.getValueAtPercentile(99) / 1000.0,
        histogram.getMaxValue() / 1000.0,
        histogram.getMean() / 1000.0);
  }

  private static ManagedChannel channel(int port, List<ManagedChannel> channels) {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    channels.add(channel);
    return channel;
  }

  private static <S extends AbstractStub<S>> S sign(S stub, String service, SigningKey key) {
    Credentials credentials = new Credentials("svc-" + service, 1, key);
    return stub.withInterceptors(
        new SigningClientInterceptor(new RequestSigner(() -> credentials)));
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("options are --name value, got " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }
}
