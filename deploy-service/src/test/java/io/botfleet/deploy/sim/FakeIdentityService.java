package io.botfleet.deploy.sim;

import com.google.protobuf.ByteString;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.identity.v1.AgentKey;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.KeyEventType;
import io.botfleet.identity.v1.KeyStatus;
import io.botfleet.identity.v1.WatchKeysRequest;
import io.botfleet.identity.v1.WatchKeysResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * identity.v1 WatchKeys as a packaged deploy-service needs it to verify the test's requests: a
 * snapshot of the test principals' keys, then nothing (the stream stays open).
 */
public final class FakeIdentityService extends IdentityServiceGrpc.IdentityServiceImplBase {

  private final List<TestPrincipal> principals;

  public FakeIdentityService(List<TestPrincipal> principals) {
    this.principals = List.copyOf(principals);
  }

  @Override
  public void watchKeys(WatchKeysRequest request, StreamObserver<WatchKeysResponse> response) {
    for (TestPrincipal p : principals) {
      response.onNext(
          WatchKeysResponse.newBuilder()
              .setRevision(1)
              .setType(KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_KEY)
              .setKey(
                  AgentKey.newBuilder()
                      .setAgentId(p.agentId())
                      .setKind(p.principal().kind())
                      .setOperatorRole(p.principal().operatorRole())
                      .setName(p.principal().name())
                      .setKeyVersion(p.credentials().keyVersion())
                      .setPublicKey(ByteString.copyFrom(p.credentials().key().publicKey().raw()))
                      .setStatus(KeyStatus.KEY_STATUS_CURRENT))
              .build());
    }
    response.onNext(
        WatchKeysResponse.newBuilder()
            .setRevision(1)
            .setType(KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_END)
            .build());
  }
}
