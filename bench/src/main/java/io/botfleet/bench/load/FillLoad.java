package io.botfleet.bench.load;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.botfleet.billing.v1.BillingServiceGrpc;
import io.botfleet.billing.v1.Fill;
import io.botfleet.billing.v1.ReportFillsRequest;
import io.botfleet.billing.v1.ReportFillsResponse;
import io.botfleet.billing.v1.Side;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.devkit.TestDatabase;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.GetBotRequest;
import io.botfleet.fleet.v1.GetBotResponse;
import io.botfleet.identity.v1.AgentKey;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.KeyEventType;
import io.botfleet.identity.v1.KeyStatus;
import io.botfleet.identity.v1.WatchKeysRequest;
import io.botfleet.identity.v1.WatchKeysResponse;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SigningClientInterceptor;
import io.botfleet.signing.SigningKey;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Load on billing-service's hottest path: many bots streaming fills at once (ReportFills), each
 * fill checked, stored once, and its fee booked as an entry with the bot's budget checked.
 *
 * <p>It starts everything it needs and stops it afterwards: a PostgreSQL of its own (devkit's
 * TestDatabase), a stand-in identity-service whose WatchKeys feed holds the bots' keys and a
 * stand-in fleet-service that names them, and billing-service itself from its packaged jar on port
 * 19085. Every bot opens one stream, sends its messages back to back, and closes it.
 *
 * <p>Usage: {@code FillLoad <quarkus-run.jar> [bots=200] [messages=10] [fills per message=100]}
 */
public final class FillLoad {

  private static final int PORT = 19085;

  private FillLoad() {}

  /** Runs the load and prints the figures. */
  public static void main(String[] args) throws Exception {
    Path jar =
        Path.of(args.length > 0 ? args[0] : "billing-service/target/quarkus-app/quarkus-run.jar");
    int bots = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int messages = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int fillsPerMessage = args.length > 3 ? Integer.parseInt(args[3]) : 100;

    List<Credentials> keys = new ArrayList<>();
    for (int i = 0; i < bots; i++) {
      keys.add(new Credentials(String.format("bot-%016x", i + 1), 1, SigningKey.generate()));
    }
    Server stand = standIns(keys);
    TestDatabase.Connection database = TestDatabase.create();
    Process billing = start(jar, database, stand.getPort());
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", PORT).usePlaintext().build();
    try {
      awaitReady();
      run(channel, keys.subList(0, Math.min(10, bots)), 1, 10, "warmup");
      long start = System.nanoTime();
      Histogram streams = run(channel, keys, messages, fillsPerMessage, "run");
      double seconds = (System.nanoTime() - start) / 1e9;
      long fills = (long) bots * messages * fillsPerMessage;
      System.out.printf(
          "%d bots x %d messages x %d fills = %d fills in %.1f s: %.0f fills/s%n",
          bots, messages, fillsPerMessage, fills, seconds, fills / seconds);
      System.out.printf(
          "stream (open, %d messages, answer) ms: p50 %.0f  p99 %.0f  max %.0f%n",
          messages,
          streams.getValueAtPercentile(50) / 1e3,
          streams.getValueAtPercentile(99) / 1e3,
          streams.getMaxValue() / 1e3);
    } finally {
      channel.shutdownNow();
      billing.destroy();
      billing.waitFor(20, TimeUnit.SECONDS);
      stand.shutdownNow();
    }
    System.exit(0);
  }

  private static Histogram run(
      ManagedChannel channel, List<Credentials> keys, int messages, int fills, String tag)
      throws Exception {
    Histogram latency = new Histogram(3);
    AtomicLong accepted = new AtomicLong();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    Instant day = Instant.now().minus(Duration.ofHours(1));
    for (Credentials bot : keys) {
      CompletableFuture<Void> finished = new CompletableFuture<>();
      done.add(finished);
      long opened = System.nanoTime();
      StreamObserver<ReportFillsRequest> stream =
          BillingServiceGrpc.newStub(channel)
              .withInterceptors(new SigningClientInterceptor(new RequestSigner(() -> bot)))
              .withDeadlineAfter(10, TimeUnit.MINUTES)
              .reportFills(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(ReportFillsResponse answer) {
                      accepted.addAndGet(answer.getAccepted());
                    }

                    @Override
                    public void onError(Throwable t) {
                      finished.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                      synchronized (latency) {
                        latency.recordValue((System.nanoTime() - opened) / 1000);
                      }
                      finished.complete(null);
                    }
                  });
      for (int m = 0; m < messages; m++) {
        ReportFillsRequest.Builder message = ReportFillsRequest.newBuilder();
        for (int f = 0; f < fills; f++) {
          message.addFills(
              Fill.newBuilder()
                  .setFillId(tag + "-" + m + "-" + f)
                  .setExchange("binance")
                  .setPair("BTC/USDT")
                  .setSide(Side.SIDE_BUY)
                  .setSize("0.01")
                  .setPrice("64000")
                  .setFee("0.0064")
                  .setFeeCurrency("USDT")
                  .setFillTime(Timestamp.newBuilder().setSeconds(day.getEpochSecond())));
        }
        stream.onNext(message.build());
      }
      stream.onCompleted();
    }
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    long expected = (long) keys.size() * messages * fills;
    if (accepted.get() != expected) {
      throw new IllegalStateException("booked " + accepted.get() + " fills of " + expected);
    }
    return latency;
  }

  /** identity's WatchKeys with the bots' keys, and fleet's GetBot naming every bot. */
  private static Server standIns(List<Credentials> keys) throws Exception {
    Map<String, Credentials> byId = new HashMap<>();
    keys.forEach(k -> byId.put(k.agentId(), k));
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(
            new IdentityServiceGrpc.IdentityServiceImplBase() {
              @Override
              public void watchKeys(
                  WatchKeysRequest request, StreamObserver<WatchKeysResponse> response) {
                for (Credentials key : keys) {
                  response.onNext(
                      WatchKeysResponse.newBuilder()
                          .setRevision(1)
                          .setType(KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_KEY)
                          .setKey(
                              AgentKey.newBuilder()
                                  .setAgentId(key.agentId())
                                  .setKind(PrincipalKind.PRINCIPAL_KIND_BOT)
                                  .setName(key.agentId())
                                  .setKeyVersion(1)
                                  .setPublicKey(ByteString.copyFrom(key.key().publicKey().raw()))
                                  .setStatus(KeyStatus.KEY_STATUS_CURRENT))
                          .build());
                }
                response.onNext(
                    WatchKeysResponse.newBuilder()
                        .setRevision(1)
                        .setType(KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_END)
                        .build());
              }
            })
        .addService(
            new FleetServiceGrpc.FleetServiceImplBase() {
              @Override
              public void getBot(GetBotRequest request, StreamObserver<GetBotResponse> response) {
                response.onNext(
                    GetBotResponse.newBuilder()
                        .setBot(
                            Bot.newBuilder()
                                .setId(request.getBotId())
                                .setName("load-" + request.getBotId())
                                .setGroup("load")
                                .setStrategy("load")
                                .setExchange("binance"))
                        .build());
                response.onCompleted();
              }
            })
        .build()
        .start();
  }

  private static Process start(Path jar, TestDatabase.Connection db, int standIns)
      throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                "java", "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(new File("bench/target/fill-load-billing.log"));
    Map<String, String> env = builder.environment();
    env.put("QUARKUS_HTTP_PORT", Integer.toString(PORT));
    env.put("BOTFLEET_DB_URL", db.jdbcUrl());
    env.put("BOTFLEET_DB_USER", db.user());
    env.put("BOTFLEET_DB_PASSWORD", db.password());
    env.put("BOTFLEET_IDENTITY_HOST", "127.0.0.1");
    env.put("BOTFLEET_IDENTITY_PORT", Integer.toString(standIns));
    env.put("BOTFLEET_FLEET_HOST", "127.0.0.1");
    env.put("BOTFLEET_FLEET_PORT", Integer.toString(standIns));
    env.put("BOTFLEET_BILLING_JOBS_ENABLED", "false");
    return builder.start();
  }

  private static void awaitReady() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpResponse<String> ready =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/q/health/ready"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // still starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "billing-service not ready; see bench/target/fill-load-billing.log");
  }
}
