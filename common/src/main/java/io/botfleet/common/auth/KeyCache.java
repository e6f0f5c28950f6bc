package io.botfleet.common.auth;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The public keys this service verifies requests with: every key version that accepts requests
 * (current, and next during a rotation), per agent. Fed by identity-service's WatchKeys stream
 * ({@link KeyFeed}), or by identity-service itself from its own tables. Lookups never wait on
 * another service.
 */
@ApplicationScoped
public class KeyCache {

  private final ConcurrentHashMap<String, Map<Integer, CachedKey>> keys = new ConcurrentHashMap<>();
  private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();
  private volatile long revision;
  private volatile boolean ready;

  /** The key of {@code agentId} at {@code keyVersion}, if it accepts requests. */
  public Optional<CachedKey> find(String agentId, int keyVersion) {
    Map<Integer, CachedKey> versions = keys.get(agentId);
    if (versions == null) {
      return Optional.empty();
    }
    CachedKey key = versions.get(keyVersion);
    return key != null && key.state().acceptsRequests() ? Optional.of(key) : Optional.empty();
  }

  /**
   * Who {@code agentId} is, if it has a key that accepts requests (so it is known and not revoked):
   * for a delegated call, whose named operator never signed it.
   */
  public Optional<Principal> principal(String agentId) {
    Map<Integer, CachedKey> versions = keys.get(agentId);
    if (versions == null) {
      return Optional.empty();
    }
    return versions.values().stream()
        .filter(key -> key.state().acceptsRequests())
        .map(CachedKey::principal)
        .findFirst();
  }

  /**
   * Adds or updates one key version. A version that no longer accepts requests (retired, revoked)
   * is dropped.
   */
  public void upsert(CachedKey key, long atRevision) {
    keys.compute(
        key.principal().agentId(),
        (agent, versions) -> {
          Map<Integer, CachedKey> next =
              versions == null ? new HashMap<>() : new HashMap<>(versions);
          if (key.state().acceptsRequests()) {
            next.put(key.keyVersion(), key);
          } else {
            next.remove(key.keyVersion());
          }
          return next.isEmpty() ? null : Map.copyOf(next);
        });
    advance(atRevision);
  }

  /** Drops every version of an identity and closes its open streams. */
  public void revoke(String agentId, long atRevision) {
    keys.remove(agentId);
    advance(atRevision);
    revocationListeners.forEach(listener -> listener.accept(agentId));
  }

  /**
   * Replaces the whole cache with a snapshot. Agents that were cached and are missing from the
   * snapshot were revoked meanwhile: their streams are closed.
   */
  public void replaceAll(Collection<CachedKey> snapshot, long atRevision) {
    Map<String, Map<Integer, CachedKey>> fresh = new HashMap<>();
    for (CachedKey key : snapshot) {
      if (key.state().acceptsRequests()) {
        fresh
            .computeIfAbsent(key.principal().agentId(), a -> new HashMap<>())
            .put(key.keyVersion(), key);
      }
    }
    Set<String> gone = new HashSet<>(keys.keySet());
    gone.removeAll(fresh.keySet());
    fresh.forEach((agent, versions) -> keys.put(agent, Map.copyOf(versions)));
    gone.forEach(keys::remove);
    revision = atRevision;
    ready = true;
    gone.forEach(agent -> revocationListeners.forEach(listener -> listener.accept(agent)));
  }

  /** Calls {@code listener} with the agent id of every identity revoked from now on. */
  public void onRevocation(Consumer<String> listener) {
    revocationListeners.add(listener);
  }

  /** The revision of the last change applied (for resuming the feed). */
  public long revision() {
    return revision;
  }

  /** True once a full snapshot was applied: before that, nobody can be authenticated. */
  public boolean ready() {
    return ready;
  }

  /** Marks the cache complete without a snapshot (a service that feeds it itself). */
  public void markReady() {
    ready = true;
  }

  /** How many agents have at least one key. */
  public int size() {
    return keys.size();
  }

  private void advance(long atRevision) {
    if (atRevision > revision) {
      revision = atRevision;
    }
  }
}
