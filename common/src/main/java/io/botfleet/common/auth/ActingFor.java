package io.botfleet.common.auth;

import io.grpc.Context;
import java.util.Optional;

/**
 * The operator this service's outgoing calls act for, when it makes them on an operator's behalf
 * (fleet-service's REST gateway). Code run in {@link #bind} sends {@code botfleet-acting-for} with
 * that operator on every call to another botfleet service, signed with the service's own key
 * ({@link ServiceSigningInterceptor}); code run outside it (the service's own work) sends none.
 */
public final class ActingFor {

  static final Context.Key<String> KEY = Context.key("botfleet-acting-for");

  private ActingFor() {}

  /** {@code context} in which outgoing calls act for {@code operatorAgentId}. */
  public static Context bind(Context context, String operatorAgentId) {
    return context.withValue(KEY, operatorAgentId);
  }

  /** The operator outgoing calls made now act for, if any. */
  public static Optional<String> current() {
    return Optional.ofNullable(KEY.get());
  }
}
