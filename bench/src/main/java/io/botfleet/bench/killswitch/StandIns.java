package io.botfleet.bench.killswitch;

import com.google.protobuf.ByteString;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.health.v1.TrackBotRequest;
import io.botfleet.health.v1.TrackBotResponse;
import io.botfleet.health.v1.WatchHealthRequest;
import io.botfleet.health.v1.WatchHealthResponse;
import io.botfleet.identity.v1.AgentKey;
import io.botfleet.identity.v1.Identity;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.KeyEventType;
import io.botfleet.identity.v1.KeyStatus;
import io.botfleet.identity.v1.RegisterAgentRequest;
import io.botfleet.identity.v1.RegisterAgentResponse;
import io.botfleet.identity.v1.WatchKeysRequest;
import io.botfleet.identity.v1.WatchKeysResponse;
import io.botfleet.permission.v1.PermissionServiceGrpc;
import io.botfleet.permission.v1.SuspendBotRequest;
import io.botfleet.permission.v1.SuspendBotResponse;
import io.botfleet.permission.v1.UnsuspendBotRequest;
import io.botfleet.permission.v1.UnsuspendBotResponse;
import io.botfleet.signing.Credentials;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stand-ins for identity, permission and health, as small as the kill switch needs: the key feed
 * (every simulated bot's and the operator's key), RegisterAgent for InitFleet, SuspendBot answered
 * at once, and a health watch that stays quiet.
 */
final class StandIns implements AutoCloseable {

  private final Server server;
  final AtomicInteger suspendCalls = new AtomicInteger();

  StandIns(int port, List<Credentials> bots, Credentials operator) throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
            .addService(new Identity(bots, operator))
            .addService(new Permission())
            .addService(new Health())
            .build()
            .start();
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static final class Identity extends IdentityServiceGrpc.IdentityServiceImplBase {
    private final List<Credentials> bots;
    private final Credentials operator;

    Identity(List<Credentials> bots, Credentials operator) {
      this.bots = bots;
      this.operator = operator;
    }

    @Override
    public void registerAgent(
        RegisterAgentRequest request, StreamObserver<RegisterAgentResponse> response) {
      response.onNext(
          RegisterAgentResponse.newBuilder()
              .setIdentity(
                  io.botfleet.identity.v1.Identity.newBuilder()
                      .setId("svc-" + request.getName())
                      .setName(request.getName())
                      .setKind(request.getKind()))
              .build());
      response.onCompleted();
    }

    @Override
    public void watchKeys(WatchKeysRequest request, StreamObserver<WatchKeysResponse> response) {
      response.onNext(
          snapshotKey(
              operator, PrincipalKind.PRINCIPAL_KIND_OPERATOR, OperatorRole.OPERATOR_ROLE_ADMIN));
      for (Credentials bot : bots) {
        response.onNext(
            snapshotKey(
                bot, PrincipalKind.PRINCIPAL_KIND_BOT, OperatorRole.OPERATOR_ROLE_UNSPECIFIED));
      }
      response.onNext(
          WatchKeysResponse.newBuilder()
              .setRevision(1)
              .setType(KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_END)
              .build());
      // Held open: no key changes during the benchmark.
    }

    private static WatchKeysResponse snapshotKey(
        Credentials credentials, PrincipalKind kind, OperatorRole role) {
      return WatchKeysResponse.newBuilder()
          .setRevision(1)
          .setType(KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_KEY)
          .setKey(
              AgentKey.newBuilder()
                  .setAgentId(credentials.agentId())
                  .setKind(kind)
                  .setOperatorRole(role)
                  .setName(credentials.agentId())
                  .setKeyVersion(credentials.keyVersion())
                  .setPublicKey(ByteString.copyFrom(credentials.key().publicKey().raw()))
                  .setStatus(KeyStatus.KEY_STATUS_CURRENT))
          .build();
    }
  }

  private final class Permission extends PermissionServiceGrpc.PermissionServiceImplBase {
    @Override
    public void suspendBot(SuspendBotRequest request, StreamObserver<SuspendBotResponse> response) {
      suspendCalls.incrementAndGet();
      response.onNext(
          SuspendBotResponse.newBuilder().setSuspendedCount(request.getAgentIdsCount()).build());
      response.onCompleted();
    }

    @Override
    public void unsuspendBot(
        UnsuspendBotRequest request, StreamObserver<UnsuspendBotResponse> response) {
      response.onNext(UnsuspendBotResponse.getDefaultInstance());
      response.onCompleted();
    }
  }

  private static final class Health extends FleetHealthServiceGrpc.FleetHealthServiceImplBase {
    @Override
    public void trackBot(TrackBotRequest request, StreamObserver<TrackBotResponse> response) {
      response.onNext(TrackBotResponse.getDefaultInstance());
      response.onCompleted();
    }

    @Override
    public void watchHealth(
        WatchHealthRequest request, StreamObserver<WatchHealthResponse> response) {
      // Quiet: every bot stays healthy.
    }
  }
}
