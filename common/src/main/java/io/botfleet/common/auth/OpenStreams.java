package io.botfleet.common.auth;

import io.grpc.Metadata;
import io.grpc.Status;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authenticated streams open on this instance, per agent, so that revoking an identity closes
 * them at once: a stream is authenticated when it opens and bound to that identity for its life.
 */
@ApplicationScoped
public class OpenStreams {

  private final ConcurrentHashMap<String, Set<SerializedServerCall<?, ?>>> byAgent =
      new ConcurrentHashMap<>();

  @Inject KeyCache keyCache;

  @PostConstruct
  void listen() {
    keyCache.onRevocation(this::closeAll);
  }

  void add(String agentId, SerializedServerCall<?, ?> call) {
    byAgent.computeIfAbsent(agentId, a -> ConcurrentHashMap.newKeySet()).add(call);
  }

  void remove(String agentId, SerializedServerCall<?, ?> call) {
    byAgent.computeIfPresent(
        agentId,
        (a, calls) -> {
          calls.remove(call);
          return calls.isEmpty() ? null : calls;
        });
  }

  /** How many streams the agent holds open here. */
  public int count(String agentId) {
    Set<SerializedServerCall<?, ?>> calls = byAgent.get(agentId);
    return calls == null ? 0 : calls.size();
  }

  private void closeAll(String agentId) {
    Set<SerializedServerCall<?, ?>> calls = byAgent.remove(agentId);
    if (calls != null) {
      Status revoked = Status.UNAUTHENTICATED.withDescription("identity revoked");
      calls.forEach(call -> call.close(revoked, new Metadata()));
    }
  }
}
