package io.botfleet.identity.service;

import io.botfleet.common.auth.CachedKey;
import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.auth.KeyState;
import io.botfleet.common.auth.Principal;
import io.botfleet.common.db.PgNotifications;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.identity.domain.FeedKey;
import io.botfleet.identity.domain.KeyChange;
import io.botfleet.identity.persistence.KeyFeedQueries;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the key feed: to WatchKeys subscribers (the other services' key caches) and to this
 * service's own key cache. A committed key change wakes it through NOTIFY (from any replica); it
 * also looks every second, in case a notification was lost. All work runs on one thread, so a
 * subscriber never misses or reorders a change.
 */
@ApplicationScoped
public class KeyFeedPublisher {

  static final String CHANNEL = "identity_keys";
  private static final int BATCH = 1000;

  /** Where a subscriber's feed goes. */
  public interface Sink {
    /** A full snapshot, current at {@code revision}. */
    void snapshot(List<FeedKey> keys, long revision);

    /** One change. */
    void change(KeyChange change);

    /** False once the subscriber is gone. */
    boolean open();
  }

  private static final class Subscriber {
    final Sink sink;
    long lastSent;

    Subscriber(Sink sink, long lastSent) {
      this.sink = sink;
      this.lastSent = lastSent;
    }
  }

  @Inject KeyFeedQueries queries;
  @Inject PgNotifications notifications;
  @Inject KeyCache keyCache;

  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "key-feed-publisher");
            thread.setDaemon(true);
            return thread;
          });

  void start(@Observes @Priority(100) StartupEvent event)
      throws InterruptedException, ExecutionException {
    // Wait for the cache: nobody can be authenticated before it holds the keys.
    subscribe(0, new CacheSink()).get();
    notifications.listen(CHANNEL, payload -> wake());
    worker.scheduleWithFixedDelay(this::drainSafely, 1, 1, TimeUnit.SECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    worker.shutdownNow();
  }

  /** Announces, in the current transaction, that key changes were recorded. */
  public void announce() {
    notifications.notify(CHANNEL, "");
  }

  /**
   * Subscribes from a revision: 0 (or a revision this feed never had) sends a snapshot first;
   * otherwise every change after it.
   */
  public Future<?> subscribe(long afterRevision, Sink sink) {
    return worker.submit(
        () -> {
          long last = QuarkusTransaction.requiringNew().call(queries::lastRevision);
          long from = afterRevision;
          if (afterRevision <= 0 || afterRevision > last) {
            // Revision first, then keys: a change committed in between is in the keys and is
            // sent again as a change, which is harmless; the other order could lose it.
            List<FeedKey> keys =
                QuarkusTransaction.requiringNew().call(queries::keysAcceptingRequests);
            sink.snapshot(keys, last);
            from = last;
          }
          subscribers.add(new Subscriber(sink, from));
          drainSafely();
        });
  }

  /** Drains now rather than at the next tick. */
  public void wake() {
    worker.execute(this::drainSafely);
  }

  private void drainSafely() {
    try {
      drain();
    } catch (RuntimeException e) {
      Log.warnf(e, "Key feed drain failed; retrying at the next tick");
    }
  }

  private void drain() {
    subscribers.removeIf(s -> !s.sink.open());
    if (subscribers.isEmpty()) {
      return;
    }
    long from = subscribers.stream().mapToLong(s -> s.lastSent).min().orElseThrow();
    while (true) {
      long after = from;
      List<KeyChange> changes =
          QuarkusTransaction.requiringNew().call(() -> queries.changesAfter(after, BATCH));
      for (KeyChange change : changes) {
        for (Subscriber subscriber : subscribers) {
          if (subscriber.lastSent < change.revision()) {
            subscriber.sink.change(change);
            subscriber.lastSent = change.revision();
          }
        }
        from = change.revision();
      }
      if (changes.size() < BATCH) {
        return;
      }
    }
  }

  /** The key cache's view of a feed key. */
  public static CachedKey toCachedKey(FeedKey key) {
    PrincipalKind kind =
        switch (key.kind()) {
          case BOT -> PrincipalKind.PRINCIPAL_KIND_BOT;
          case OPERATOR -> PrincipalKind.PRINCIPAL_KIND_OPERATOR;
          case SERVICE -> PrincipalKind.PRINCIPAL_KIND_SERVICE;
        };
    OperatorRole role =
        key.operatorRole() == null
            ? OperatorRole.OPERATOR_ROLE_UNSPECIFIED
            : OperatorRole.valueOf("OPERATOR_ROLE_" + key.operatorRole().name());
    KeyState state = KeyState.valueOf(key.status().name());
    return new CachedKey(
        new Principal(key.agentId(), kind, role, key.name()),
        key.keyVersion(),
        key.publicKey(),
        state);
  }

  /** Feeds this service's own key cache. */
  private final class CacheSink implements Sink {
    @Override
    public void snapshot(List<FeedKey> keys, long revision) {
      keyCache.replaceAll(keys.stream().map(KeyFeedPublisher::toCachedKey).toList(), revision);
      Log.infof("Key cache loaded from the identity tables: %d agents", keyCache.size());
    }

    @Override
    public void change(KeyChange change) {
      if (change.revoked()) {
        keyCache.revoke(change.agentId(), change.revision());
      } else if (change.key() != null) {
        keyCache.upsert(toCachedKey(change.key()), change.revision());
      }
    }

    @Override
    public boolean open() {
      return true;
    }
  }
}
