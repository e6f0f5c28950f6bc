package io.botfleet.identity.grpc;

import io.botfleet.common.auth.Caller;
import io.botfleet.common.grpc.RawRequests;
import io.botfleet.identity.domain.FeedKey;
import io.botfleet.identity.domain.Identity;
import io.botfleet.identity.domain.KeyChange;
import io.botfleet.identity.service.AgentIdentityService;
import io.botfleet.identity.service.KeyFeedPublisher;
import io.botfleet.identity.v1.AgentKey;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.GetIdentityResponse;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.KeyEventType;
import io.botfleet.identity.v1.RegisterAgentRequest;
import io.botfleet.identity.v1.RegisterAgentResponse;
import io.botfleet.identity.v1.WatchKeysRequest;
import io.botfleet.identity.v1.WatchKeysResponse;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.util.List;

/** The identity.v1 adapter. RPCs not overridden here answer UNIMPLEMENTED. */
@GrpcService
public class IdentityGrpcService extends IdentityServiceGrpc.IdentityServiceImplBase {

  @Inject AgentIdentityService identities;
  @Inject KeyFeedPublisher keyFeed;

  @Override
  public ServerServiceDefinition bindService() {
    return RawRequests.bind(super.bindService());
  }

  @Override
  @Blocking
  public void registerAgent(
      RegisterAgentRequest request, StreamObserver<RegisterAgentResponse> response) {
    Identity identity = identities.register(IdentityMapper.toRegistration(request));
    response.onNext(
        RegisterAgentResponse.newBuilder().setIdentity(IdentityMapper.toProto(identity)).build());
    response.onCompleted();
  }

  @Override
  @Blocking
  public void getIdentity(
      GetIdentityRequest request, StreamObserver<GetIdentityResponse> response) {
    Caller.requireSelfIfBot(request.getAgentId());
    Identity identity = identities.get(request.getAgentId());
    GetIdentityResponse.Builder answer =
        GetIdentityResponse.newBuilder().setIdentity(IdentityMapper.toProto(identity));
    identities.keysOf(identity.id()).forEach(key -> answer.addKeys(IdentityMapper.toProto(key)));
    response.onNext(answer.build());
    response.onCompleted();
  }

  @Override
  public void watchKeys(WatchKeysRequest request, StreamObserver<WatchKeysResponse> response) {
    ServerCallStreamObserver<WatchKeysResponse> stream =
        (ServerCallStreamObserver<WatchKeysResponse>) response;
    keyFeed.subscribe(request.getAfterRevision(), new StreamSink(stream));
  }

  /** Writes the key feed to one WatchKeys stream. */
  private static final class StreamSink implements KeyFeedPublisher.Sink {

    private final ServerCallStreamObserver<WatchKeysResponse> stream;
    private volatile boolean open = true;

    StreamSink(ServerCallStreamObserver<WatchKeysResponse> stream) {
      this.stream = stream;
      stream.setOnCancelHandler(() -> open = false);
    }

    @Override
    public void snapshot(List<FeedKey> keys, long revision) {
      for (FeedKey key : keys) {
        send(revision, KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_KEY, IdentityMapper.toProto(key));
      }
      send(revision, KeyEventType.KEY_EVENT_TYPE_SNAPSHOT_END, AgentKey.getDefaultInstance());
    }

    @Override
    public void change(KeyChange change) {
      if (change.revoked()) {
        send(
            change.revision(),
            KeyEventType.KEY_EVENT_TYPE_IDENTITY_REVOKED,
            AgentKey.newBuilder().setAgentId(change.agentId()).build());
      } else if (change.key() != null) {
        send(
            change.revision(),
            KeyEventType.KEY_EVENT_TYPE_KEY_UPSERTED,
            IdentityMapper.toProto(change.key()));
      }
    }

    @Override
    public boolean open() {
      return open && !stream.isCancelled();
    }

    private void send(long revision, KeyEventType type, AgentKey key) {
      if (!open()) {
        return;
      }
      try {
        stream.onNext(
            WatchKeysResponse.newBuilder().setRevision(revision).setType(type).setKey(key).build());
      } catch (RuntimeException e) {
        open = false;
      }
    }
  }
}
