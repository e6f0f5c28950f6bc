package io.botfleet.bench.health;

import com.google.protobuf.ByteString;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.identity.v1.AgentKey;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.KeyEventType;
import io.botfleet.identity.v1.KeyStatus;
import io.botfleet.identity.v1.WatchKeysRequest;
import io.botfleet.identity.v1.WatchKeysResponse;
import io.botfleet.signing.Credentials;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A stand-in for identity-service's WatchKeys, so the health-service under test trusts the
 * generated bots the way it trusts real ones: through its own key feed (a snapshot of every key,
 * then silence). It serves only WatchKeys; the feed's request signature is not checked here.
 */
final class KeyFeedStandIn implements AutoCloseable {

  /**
   * An identity the service must trust.
   *
   * @param credentials its key
   * @param kind bot or service
   * @param role its role, for operators
   * @param name its name ("fleet" for svc-fleet)
   */
  record Trusted(Credentials credentials, PrincipalKind kind, OperatorRole role, String name) {}

  private final Server server;

  KeyFeedStandIn(List<Trusted> identities) throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new IdentityServiceGrpc.IdentityServiceImplBase() {
                  @Override
                  public void watchKeys(
                      WatchKeysRequest request, StreamObserver<WatchKeysResponse> response) {
                    for (Trusted t : identities) {
                      response.onNext(
                          WatchKeysResponse.newBuilder()
                              .setRevision(1)
                              .setType(KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_KEY)
                              .setKey(
                                  AgentKey.newBuilder()
                                      .setAgentId(t.credentials().agentId())
                                      .setKind(t.kind())
                                      .setOperatorRole(t.role())
                                      .setName(t.name())
                                      .setKeyVersion(t.credentials().keyVersion())
                                      .setPublicKey(
                                          ByteString.copyFrom(
                                              t.credentials().key().publicKey().raw()))
                                      .setStatus(KeyStatus.KEY_STATUS_CURRENT))
                              .build());
                    }
                    response.onNext(
                        WatchKeysResponse.newBuilder()
                            .setRevision(1)
                            .setType(KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_END)
                            .build());
                    // Stays open: no further changes during a run.
                  }
                })
            .build()
            .start();
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
