package io.botfleet.identity;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.auth.Principal;
import io.botfleet.common.v1.AuditServiceGrpc;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.devkit.GrpcTestSupport;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.SigningKey;
import java.util.HexFormat;

/** Signed identity-service stubs for test principals. */
public abstract class IdentityTestSupport extends GrpcTestSupport {

  /** The seed of svc-fleet's key in tests (RFC 8032 test key 1), see application.properties. */
  protected static final SigningKey FLEET_SERVICE_KEY =
      SigningKey.fromSeed(
          HexFormat.of()
              .parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));

  /** The fleet service as configured in tests: signs with the key identity-service seeded. */
  protected static TestPrincipal fleetService() {
    return new TestPrincipal(
        new Principal(
            "svc-fleet",
            PrincipalKind.PRINCIPAL_KIND_SERVICE,
            OperatorRole.OPERATOR_ROLE_UNSPECIFIED,
            "fleet"),
        new Credentials("svc-fleet", 1, FLEET_SERVICE_KEY));
  }

  protected static IdentityServiceGrpc.IdentityServiceBlockingStub identity(
      TestPrincipal principal) {
    return signed(principal, IdentityServiceGrpc.newBlockingStub(channel));
  }

  protected static AuditServiceGrpc.AuditServiceBlockingStub audit(TestPrincipal principal) {
    return signed(principal, AuditServiceGrpc.newBlockingStub(channel));
  }

  protected static TestPrincipal admin(KeyCache cache) {
    return TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_ADMIN).trustedBy(cache);
  }
}
