package io.botfleet.health.grpc;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.devkit.GrpcTestSupport;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.health.v1.HealthPolicy;
import io.botfleet.health.v1.Heartbeat;
import io.botfleet.health.v1.SetHealthPolicyRequest;
import io.botfleet.health.v1.StreamHeartbeatsRequest;
import io.botfleet.health.v1.StreamHeartbeatsResponse;
import io.botfleet.health.v1.TrackBotRequest;
import io.botfleet.health.v1.UntrackBotRequest;
import io.botfleet.health.v1.WatchHealthRequest;
import io.botfleet.health.v1.WatchHealthResponse;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** What the health-service gRPC tests share: principals, tracking, heartbeats, streams. */
abstract class HealthTestSupport extends GrpcTestSupport {

  @Inject KeyCache keyCache;

  // One key per principal for the whole run: trusting a new key for svc-fleet replaces the old
  // one, which would break a call signed a moment earlier.
  private static final TestPrincipal FLEET = TestPrincipal.service("fleet");
  private static final TestPrincipal OPERATOR =
      TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_OPERATOR);

  TestPrincipal fleet() {
    return FLEET.trustedBy(keyCache);
  }

  TestPrincipal operator() {
    return OPERATOR.trustedBy(keyCache);
  }

  FleetHealthServiceGrpc.FleetHealthServiceBlockingStub stub(TestPrincipal principal) {
    return signed(principal, FleetHealthServiceGrpc.newBlockingStub(channel));
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A new bot, trusted, tracked by fleet-service in {@code group}. */
  TestPrincipal trackedBot(String group) {
    TestPrincipal bot = TestPrincipal.bot().trustedBy(keyCache);
    track(bot.agentId(), group, false);
    return bot;
  }

  void track(String botId, String group, boolean standby) {
    stub(fleet())
        .trackBot(
            TrackBotRequest.newBuilder()
                .setBotId(botId)
                .setBotName("name-" + botId)
                .setGroup(group)
                .setExchange("binance")
                .setStrategy("cross-exchange-arb")
                .setStandby(standby)
                .build());
  }

  void untrack(String botId) {
    stub(fleet()).untrackBot(UntrackBotRequest.newBuilder().setBotId(botId).build());
  }

  /** Makes {@code group} die after 10 s (the shortest threshold a policy allows). */
  void fastGroup(String group) {
    stub(operator())
        .setHealthPolicy(
            SetHealthPolicyRequest.newBuilder()
                .setPolicy(
                    HealthPolicy.newBuilder()
                        .setGroup(group)
                        .setHeartbeatInterval(Duration.newBuilder().setSeconds(1))
                        .setDeadAfter(Duration.newBuilder().setSeconds(10)))
                .build());
  }

  static Heartbeat.Builder heartbeat(long sequence) {
    Instant now = Instant.now();
    return Heartbeat.newBuilder()
        .setSequence(sequence)
        .setHeartbeatTime(
            Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .setVersion("2.4.1")
        .setUptimeSeconds(86400)
        .setHeartbeatLatencyMs(45)
        .setPnlUsd("234.50")
        .setDrawdownPct(1.2)
        .setTradeCount(47)
        .setOpenPositions(3)
        .setOpenOrders(6)
        .setMemoryMb(512)
        .setCpuPct(15.3)
        .setErrorCount(0);
  }

  /** A bot's heartbeat stream that records every answer. */
  static final class BotStream implements StreamObserver<StreamHeartbeatsResponse> {
    final BlockingQueue<StreamHeartbeatsResponse> answers = new LinkedBlockingQueue<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    volatile boolean completed;
    private final StreamObserver<StreamHeartbeatsRequest> requests;
    private final Context.CancellableContext context;

    BotStream(TestPrincipal bot, Channel channel) {
      context = Context.current().withCancellation();
      Context previous = context.attach();
      try {
        requests = bot.sign(FleetHealthServiceGrpc.newStub(channel)).streamHeartbeats(this);
      } finally {
        context.detach(previous);
      }
    }

    void send(Heartbeat.Builder heartbeat) {
      synchronized (requests) {
        requests.onNext(StreamHeartbeatsRequest.newBuilder().setHeartbeat(heartbeat).build());
      }
    }

    StreamHeartbeatsResponse next() throws InterruptedException {
      StreamHeartbeatsResponse answer = answers.poll(10, TimeUnit.SECONDS);
      if (answer == null) {
        throw new AssertionError("no answer within 10 s; errors: " + errors);
      }
      return answer;
    }

    /** Drops the connection as a crashed bot or a broken network would. */
    void cut() {
      context.cancel(null);
    }

    void finish() {
      synchronized (requests) {
        requests.onCompleted();
      }
    }

    @Override
    public void onNext(StreamHeartbeatsResponse value) {
      answers.add(value);
    }

    @Override
    public void onError(Throwable t) {
      errors.add(t);
    }

    @Override
    public void onCompleted() {
      completed = true;
    }
  }

  /** A WatchHealth subscription that records every event. */
  static final class Watch implements StreamObserver<WatchHealthResponse> {
    final List<WatchHealthResponse> events = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final Context.CancellableContext context;

    Watch(TestPrincipal watcher, Channel channel, WatchHealthRequest request) {
      context = Context.current().withCancellation();
      Context previous = context.attach();
      try {
        watcher.sign(FleetHealthServiceGrpc.newStub(channel)).watchHealth(request, this);
      } finally {
        context.detach(previous);
      }
    }

    List<WatchHealthResponse> about(String botId) {
      return events.stream().filter(e -> e.getBotId().equals(botId)).toList();
    }

    void close() {
      context.cancel(null);
    }

    @Override
    public void onNext(WatchHealthResponse value) {
      events.add(value);
    }

    @Override
    public void onError(Throwable t) {
      errors.add(t);
    }

    @Override
    public void onCompleted() {}
  }
}
