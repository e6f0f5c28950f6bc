package io.botfleet.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.botfleet.common.config.AuthConfig;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.identity.v1.AgentKey;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.KeyEventType;
import io.botfleet.identity.v1.KeyStatus;
import io.botfleet.identity.v1.WatchKeysRequest;
import io.botfleet.identity.v1.WatchKeysResponse;
import io.botfleet.signing.SigningKey;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The key feed against a stand-in identity-service that it talks real gRPC to. */
class KeyFeedTest {

  final List<Long> requestedAfter = new CopyOnWriteArrayList<>();
  final BlockingQueue<StreamObserver<WatchKeysResponse>> streams = new LinkedBlockingQueue<>();
  final KeyCache cache = new KeyCache();
  final KeyFeed feed = new KeyFeed();
  Server server;
  ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                new IdentityServiceGrpc.IdentityServiceImplBase() {
                  @Override
                  public void watchKeys(
                      WatchKeysRequest request, StreamObserver<WatchKeysResponse> response) {
                    requestedAfter.add(request.getAfterRevision());
                    streams.add(response);
                  }
                })
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    feed.cache = cache;
    feed.config = config();
    feed.identityChannel = channel;
    feed.start(new StartupEvent());
  }

  @AfterEach
  void stop() {
    feed.stop(new ShutdownEvent());
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void aSnapshotThenChangesKeepTheCacheCurrent() throws Exception {
    StreamObserver<WatchKeysResponse> stream = nextStream();
    stream.onNext(
        item(
            5,
            KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_KEY,
            key("bot-1", 1, KeyStatus.KEY_STATUS_CURRENT)));
    stream.onNext(
        item(
            5,
            KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_KEY,
            key("bot-2", 1, KeyStatus.KEY_STATUS_CURRENT)));
    assertThat(cache.ready()).isFalse();
    stream.onNext(item(5, KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_END, AgentKey.getDefaultInstance()));
    await().atMost(Duration.ofSeconds(5)).until(cache::ready);
    assertThat(cache.find("bot-1", 1)).isPresent();

    stream.onNext(
        item(
            6,
            KeyEventType.KEY_EVENT_TYPE_KEY_UPSERTED,
            key("bot-1", 2, KeyStatus.KEY_STATUS_NEXT)));
    stream.onNext(
        item(
            7,
            KeyEventType.KEY_EVENT_TYPE_IDENTITY_REVOKED,
            AgentKey.newBuilder().setAgentId("bot-2").build()));

    await().atMost(Duration.ofSeconds(5)).until(() -> cache.revision() == 7);
    assertThat(cache.find("bot-1", 2)).isPresent();
    assertThat(cache.find("bot-2", 1)).isEmpty();
  }

  @Test
  void aLostStreamIsReopenedFromTheLastRevisionApplied() throws Exception {
    StreamObserver<WatchKeysResponse> first = nextStream();
    first.onNext(item(3, KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_END, AgentKey.getDefaultInstance()));
    first.onNext(
        item(
            4,
            KeyEventType.KEY_EVENT_TYPE_KEY_UPSERTED,
            key("bot-1", 1, KeyStatus.KEY_STATUS_CURRENT)));
    await().atMost(Duration.ofSeconds(5)).until(() -> cache.revision() == 4);

    first.onError(Status.UNAVAILABLE.asRuntimeException());
    StreamObserver<WatchKeysResponse> second = nextStream();
    second.onNext(
        item(
            5,
            KeyEventType.KEY_EVENT_TYPE_KEY_UPSERTED,
            key("bot-9", 1, KeyStatus.KEY_STATUS_CURRENT)));

    await().atMost(Duration.ofSeconds(5)).until(() -> cache.find("bot-9", 1).isPresent());
    assertThat(requestedAfter).containsExactly(0L, 4L);
    assertThat(cache.find("bot-1", 1)).isPresent();
  }

  private StreamObserver<WatchKeysResponse> nextStream() throws InterruptedException {
    StreamObserver<WatchKeysResponse> stream =
        streams.poll(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(stream).as("the feed opened WatchKeys").isNotNull();
    return stream;
  }

  private static WatchKeysResponse item(long revision, KeyEventType type, AgentKey key) {
    return WatchKeysResponse.newBuilder().setRevision(revision).setType(type).setKey(key).build();
  }

  private static AgentKey key(String agent, int version, KeyStatus status) {
    return AgentKey.newBuilder()
        .setAgentId(agent)
        .setKind(PrincipalKind.PRINCIPAL_KIND_BOT)
        .setOperatorRole(OperatorRole.OPERATOR_ROLE_UNSPECIFIED)
        .setName(agent)
        .setKeyVersion(version)
        .setPublicKey(ByteString.copyFrom(SigningKey.generate().publicKey().raw()))
        .setStatus(status)
        .build();
  }

  private static AuthConfig config() {
    return new AuthConfig() {
      @Override
      public Duration skew() {
        return Duration.ofSeconds(30);
      }

      @Override
      public boolean keyFeed() {
        return true;
      }

      @Override
      public Duration keyFeedBackoff() {
        return Duration.ofMillis(20);
      }

      @Override
      public Duration keyFeedMaxBackoff() {
        return Duration.ofMillis(100);
      }

      @Override
      public java.util.List<String> delegatingServices() {
        return java.util.List.of("fleet");
      }
    };
  }
}
