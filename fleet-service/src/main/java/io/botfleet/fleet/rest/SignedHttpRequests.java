package io.botfleet.fleet.rest;

import io.botfleet.common.auth.AccessRules;
import io.botfleet.common.auth.CachedKey;
import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.auth.Principal;
import io.botfleet.common.auth.RequestVerifier;
import io.botfleet.common.config.AuthConfig;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.v1.Access;
import io.botfleet.signing.SignatureHeaders;
import io.grpc.MethodDescriptor;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticates a REST gateway request as the gRPC interceptor authenticates a call
 * (docs/protocol.md, "Signing an HTTP request"): the same five headers, skew window, key cache and
 * nonce check, with {@code {METHOD} {request-target}} in place of the gRPC method name and the HTTP
 * body as received as the body; then the access rule of the RPC the route maps to.
 */
@ApplicationScoped
public class SignedHttpRequests {

  /** An authenticated request: who, and with which key version. */
  public record Authenticated(Principal principal, int keyVersion) {}

  private final AccessRules accessRules = new AccessRules();
  private final Clock clock = Clock.systemUTC();
  private RequestVerifier verifier;

  @Inject KeyCache keyCache;
  @Inject AuthConfig config;

  @PostConstruct
  void init() {
    // Its own nonce cache: an HTTP canonical string never equals a gRPC one (a method line with a
    // space), so a nonce seen on one transport cannot make a valid request on the other.
    verifier = new RequestVerifier(keyCache, config.skew());
  }

  /** The first line after the scheme in an HTTP request's canonical string. */
  public static String methodLine(String httpMethod, String requestTarget) {
    return httpMethod + " " + requestTarget;
  }

  /**
   * Verifies the request's signature over {@code body} and that its signer may call every one of
   * {@code rpcs} (a route maps to one RPC; the event stream to two).
   *
   * @throws BotfleetException UNAUTHENTICATED or PERMISSION_DENIED
   */
  public Authenticated authenticate(
      HttpServerRequest http, byte[] body, MethodDescriptor<?, ?>... rpcs) {
    long now = clock.millis();
    String line = methodLine(http.method().name(), http.uri());
    SignatureHeaders signed;
    CachedKey key;
    try {
      signed =
          RequestVerifier.parse(
              http.getHeader(SignatureHeaders.AGENT.name()),
              http.getHeader(SignatureHeaders.KEY_VERSION.name()),
              http.getHeader(SignatureHeaders.TIMESTAMP.name()),
              http.getHeader(SignatureHeaders.NONCE.name()),
              http.getHeader(SignatureHeaders.SIGNATURE.name()));
      key = verifier.claimedKey(signed, now);
    } catch (RequestVerifier.Refusal refusal) {
      throw unauthenticated(refusal);
    }
    try {
      verifier.verify(line, key, signed, body, now);
    } catch (RequestVerifier.Refusal refusal) {
      if (refusal.getMessage().contains("replay")) {
        Log.warnf("Replayed HTTP request refused: %s by %s", line, signed.agentId());
      }
      throw unauthenticated(refusal);
    }
    // Only a caller whose signature verified learns whether it may call the route's RPC.
    Principal principal = key.principal();
    for (MethodDescriptor<?, ?> rpc : rpcs) {
      Optional<Access> access = accessRules.of(rpc);
      if (access.isEmpty()
          || access.get().getPublic()
          || !AccessRules.allows(access.get(), principal)) {
        throw new BotfleetException(
            BotfleetException.Kind.PERMISSION_DENIED,
            "ACCESS_DENIED",
            principal.description() + " may not call " + rpc.getFullMethodName(),
            Map.of(
                "rpc",
                rpc.getFullMethodName(),
                "min_operator_role",
                access
                    .map(a -> a.getMinOperatorRole().name().replace("OPERATOR_ROLE_", ""))
                    .orElse("")));
      }
    }
    return new Authenticated(principal, key.keyVersion());
  }

  private static BotfleetException unauthenticated(RequestVerifier.Refusal refusal) {
    return BotfleetException.unauthenticated("REQUEST_NOT_AUTHENTICATED", refusal.getMessage());
  }
}
