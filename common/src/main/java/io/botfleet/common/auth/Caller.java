package io.botfleet.common.auth;

import io.botfleet.common.error.BotfleetException;
import io.grpc.Context;
import java.util.Optional;

/**
 * The principal of the request being handled, as the verification interceptor authenticated it.
 * gRPC adapters read it to enforce what the interceptor cannot know: that a bot acts only about
 * itself.
 *
 * <p>On a delegated call (a service acting for an operator with {@code botfleet-acting-for},
 * docs/decisions/0208-gateway-acting-for.md) the caller is the operator, and {@link #via()} the
 * service that signed the request.
 */
public final class Caller {

  static final Context.Key<Principal> KEY = Context.key("botfleet-principal");
  static final Context.Key<Integer> KEY_VERSION = Context.key("botfleet-key-version");
  static final Context.Key<Principal> VIA = Context.key("botfleet-via");

  private Caller() {}

  /**
   * A context in which {@code principal} is the caller, for a transport that authenticated the
   * request itself (fleet-service's REST gateway): code run in it sees the same {@link #current()}
   * as under the gRPC interceptor.
   */
  public static Context bind(Principal principal, int keyVersion) {
    return Context.current().withValues(KEY, principal, KEY_VERSION, keyVersion);
  }

  /** The caller; UNAUTHENTICATED if the call was not authenticated (a public RPC). */
  public static Principal current() {
    Principal principal = KEY.get();
    if (principal == null) {
      throw BotfleetException.unauthenticated(
          "NOT_AUTHENTICATED", "this call is not authenticated");
    }
    return principal;
  }

  /**
   * The service that made this call on behalf of {@link #current()} (a delegated call), or empty
   * when the caller signed the request itself.
   */
  public static Optional<Principal> via() {
    return Optional.ofNullable(VIA.get());
  }

  /**
   * The key version the caller's request was signed with (its signature covers the version, so this
   * is authenticated). Lets an RPC insist on a particular key, e.g. a rotation registered with the
   * current key. UNAUTHENTICATED if the call was not authenticated; PERMISSION_DENIED on a
   * delegated call, which the caller did not sign.
   */
  public static int keyVersion() {
    current();
    if (VIA.get() != null) {
      throw BotfleetException.permissionDenied(
          "OWN_SIGNATURE_REQUIRED",
          "this call must be signed by the caller itself, not made through a service acting for it");
    }
    Integer version = KEY_VERSION.get();
    if (version == null) {
      throw BotfleetException.unauthenticated(
          "NOT_AUTHENTICATED", "this call is not authenticated");
    }
    return version;
  }

  /** The caller's agent id, or "anonymous" for public RPCs (for audit fields). */
  public static String agentIdOrAnonymous() {
    Principal principal = KEY.get();
    return principal == null ? "anonymous" : principal.agentId();
  }

  /**
   * For RPCs bots may call about themselves: a bot calling about another agent is refused with
   * PERMISSION_DENIED. Operators and services pass (the interceptor checked their rights).
   */
  public static void requireSelfIfBot(String agentId) {
    Principal principal = current();
    if (principal.isBot() && !principal.agentId().equals(agentId)) {
      throw BotfleetException.permissionDenied(
          "NOT_SELF", "a bot may act only about itself, not about " + agentId);
    }
  }
}
