package io.botfleet.common.auth;

import io.botfleet.common.config.AuthConfig;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.identity.v1.AgentKey;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.identity.v1.WatchKeysRequest;
import io.botfleet.identity.v1.WatchKeysResponse;
import io.botfleet.signing.VerifyingKey;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the {@link KeyCache} current from identity-service's WatchKeys stream: a snapshot, then
 * every change. A lost stream is reopened with backoff from the last revision applied, so no change
 * is missed (identity-service sends a fresh snapshot if that history is gone).
 */
@ApplicationScoped
public class KeyFeed {

  @Inject KeyCache cache;
  @Inject AuthConfig config;

  /** Quarkus injects channels, not async stubs; its global client interceptors sign the calls. */
  @GrpcClient("identity")
  Channel identityChannel;

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "key-feed");
            thread.setDaemon(true);
            return thread;
          });
  private volatile Context.CancellableContext current;
  private volatile boolean stopped;
  private volatile Duration backoff;

  void start(@Observes StartupEvent event) {
    if (!config.keyFeed()) {
      // The cache is fed by the service itself (identity-service) or by tests.
      cache.markReady();
      return;
    }
    backoff = config.keyFeedBackoff();
    scheduler.execute(this::connect);
  }

  void stop(@Observes ShutdownEvent event) {
    stopped = true;
    Context.CancellableContext context = current;
    if (context != null) {
      context.cancel(null);
    }
    scheduler.shutdownNow();
  }

  private void connect() {
    if (stopped) {
      return;
    }
    long after = cache.ready() ? cache.revision() : 0;
    Context.CancellableContext context = Context.current().withCancellation();
    current = context;
    context.run(
        () ->
            IdentityServiceGrpc.newStub(identityChannel)
                .watchKeys(
                    WatchKeysRequest.newBuilder().setAfterRevision(after).build(), new Observer()));
  }

  private void reconnectLater(String why) {
    if (stopped) {
      return;
    }
    Duration wait = backoff;
    backoff = min(backoff.multipliedBy(2), config.keyFeedMaxBackoff());
    Log.warnf("Key feed from identity-service lost (%s); retrying in %d ms", why, wait.toMillis());
    scheduler.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  static CachedKey toCachedKey(AgentKey key) {
    OperatorRole role = key.getOperatorRole();
    Principal principal = new Principal(key.getAgentId(), key.getKind(), role, key.getName());
    KeyState state =
        switch (key.getStatus()) {
          case KEY_STATUS_CURRENT -> KeyState.CURRENT;
          case KEY_STATUS_NEXT -> KeyState.NEXT;
          case KEY_STATUS_RETIRED -> KeyState.RETIRED;
          default -> KeyState.REVOKED;
        };
    return new CachedKey(
        principal,
        key.getKeyVersion(),
        VerifyingKey.fromRaw(key.getPublicKey().toByteArray()),
        state);
  }

  private final class Observer implements StreamObserver<WatchKeysResponse> {

    private final List<CachedKey> snapshot = new ArrayList<>();

    @Override
    public void onNext(WatchKeysResponse event) {
      switch (event.getType()) {
        case KEY_EVENT_TYPE_SNAPSHOT_KEY -> snapshot.add(toCachedKey(event.getKey()));
        case KEY_EVENT_TYPE_SNAPSHOT_END -> {
          cache.replaceAll(snapshot, event.getRevision());
          Log.infof(
              "Key cache loaded: %d agents at revision %d", cache.size(), event.getRevision());
          snapshot.clear();
          backoff = config.keyFeedBackoff();
        }
        case KEY_EVENT_TYPE_KEY_UPSERTED -> {
          cache.upsert(toCachedKey(event.getKey()), event.getRevision());
          backoff = config.keyFeedBackoff();
        }
        case KEY_EVENT_TYPE_IDENTITY_REVOKED -> {
          cache.revoke(event.getKey().getAgentId(), event.getRevision());
          backoff = config.keyFeedBackoff();
        }
        default -> Log.debugf("Ignoring key event of type %s", event.getType());
      }
    }

    @Override
    public void onError(Throwable t) {
      reconnectLater(t.getMessage());
    }

    @Override
    public void onCompleted() {
      reconnectLater("stream ended");
    }
  }
}
