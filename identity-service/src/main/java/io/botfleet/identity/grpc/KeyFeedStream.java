package io.botfleet.identity.grpc;

import io.botfleet.identity.domain.FeedKey;
import io.botfleet.identity.domain.KeyChange;
import io.botfleet.identity.service.KeyFeedPublisher;
import io.botfleet.identity.v1.AgentKey;
import io.botfleet.identity.v1.KeyEventType;
import io.botfleet.identity.v1.WatchKeysResponse;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;

/** Writes the key feed to one WatchKeys stream. */
final class KeyFeedStream implements KeyFeedPublisher.Sink {

  private final ServerCallStreamObserver<WatchKeysResponse> stream;
  private volatile boolean open = true;

  KeyFeedStream(ServerCallStreamObserver<WatchKeysResponse> stream) {
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
