package io.botfleet.devkit;

import io.botfleet.common.auth.CachedKey;
import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.auth.KeyState;
import io.botfleet.common.auth.Principal;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SigningClientInterceptor;
import io.botfleet.signing.SigningKey;
import io.grpc.stub.AbstractStub;
import java.util.UUID;

/**
 * A principal for tests, with a real Ed25519 key: trust it in a service's key cache, then sign
 * stubs with it so calls go through the real verification path.
 *
 * @param principal who it is
 * @param credentials its key
 */
public record TestPrincipal(Principal principal, Credentials credentials) {

  /** An operator with a role. */
  public static TestPrincipal operator(OperatorRole role) {
    return make(PrincipalKind.PRINCIPAL_KIND_OPERATOR, role, "op-" + shortId(), "operator");
  }

  /** A bot with a random id. */
  public static TestPrincipal bot() {
    return bot("bot-" + shortId());
  }

  /** A bot with a given id. */
  public static TestPrincipal bot(String agentId) {
    return make(
        PrincipalKind.PRINCIPAL_KIND_BOT, OperatorRole.OPERATOR_ROLE_UNSPECIFIED, agentId, agentId);
  }

  /** A botfleet service, e.g. "fleet" (agent id svc-fleet). */
  public static TestPrincipal service(String name) {
    return make(
        PrincipalKind.PRINCIPAL_KIND_SERVICE,
        OperatorRole.OPERATOR_ROLE_UNSPECIFIED,
        "svc-" + name,
        name);
  }

  /** Makes the service under test accept this principal's key. Returns this. */
  public TestPrincipal trustedBy(KeyCache cache) {
    cache.upsert(
        new CachedKey(
            principal, credentials.keyVersion(), credentials.key().publicKey(), KeyState.CURRENT),
        cache.revision());
    cache.markReady();
    return this;
  }

  /** The agent id. */
  public String agentId() {
    return principal.agentId();
  }

  /** {@code stub}, signing every call as this principal. */
  public <S extends AbstractStub<S>> S sign(S stub) {
    return stub.withInterceptors(
        new SigningClientInterceptor(new RequestSigner(() -> credentials)));
  }

  private static TestPrincipal make(
      PrincipalKind kind, OperatorRole role, String agentId, String name) {
    return new TestPrincipal(
        new Principal(agentId, kind, role, name),
        new Credentials(agentId, 1, SigningKey.generate()));
  }

  private static String shortId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }
}
