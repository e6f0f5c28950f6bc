package io.botfleet.deploy.grpc;

import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.common.v1.AuditServiceGrpc;
import io.botfleet.common.v1.Event;
import io.botfleet.common.v1.ListEventsRequest;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.deploy.DeployTestSupport;
import io.botfleet.deploy.sim.SimulatedFleetResource;
import io.botfleet.deploy.v1.AbortDeploymentRequest;
import io.botfleet.deploy.v1.DeployServiceGrpc;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.GetVersionMapRequest;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.signing.SignatureHeaders;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * botfleet-acting-for through the real verification interceptor and a real signed call:
 * fleet-service acting for an operator makes that operator the caller (deployment and event
 * attributed to them, "via" fleet-service); anyone else's header, a header for someone who is not
 * an active operator, a header changed after signing, or an operator below the rule are refused.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(SimulatedFleetResource.class)
class ActingForTest extends DeployTestSupport {

  TestPrincipal fleetService;

  @BeforeEach
  void trustFleetService() {
    fleetService = TestPrincipal.service("fleet").trustedBy(keyCache);
  }

  @Test
  void fleetServiceActingForAnOperatorMakesTheOperatorTheCaller() {
    String group = uniqueGroup("spot-arb");
    fleet.perpMomentum(group);

    Deployment d =
        actingFor(fleetService, operator.agentId(), DeployServiceGrpc.newBlockingStub(channel))
            .createDeployment(toGroup(group, "2.0.0").build())
            .getDeployment();

    assertThat(d.getRequestedBy()).isEqualTo(operator.agentId());
    Event started =
        actingFor(fleetService, operator.agentId(), AuditServiceGrpc.newBlockingStub(channel))
            .listEvents(
                ListEventsRequest.newBuilder()
                    .addTypes("fleet.deployment_started")
                    .setPageSize(1000)
                    .build())
            .getEventsList()
            .stream()
            .filter(
                e ->
                    e.getPayload()
                        .getFieldsOrThrow("deployment_id")
                        .getStringValue()
                        .equals(d.getId()))
            .findFirst()
            .orElseThrow();
    assertThat(started.getActor()).isEqualTo(operator.agentId());
    assertThat(started.getPayload().getFieldsOrThrow("via").getStringValue())
        .isEqualTo(fleetService.agentId());

    // Without the header the same service acts on its own account, as before.
    Deployment aborted =
        signed(fleetService, DeployServiceGrpc.newBlockingStub(channel))
            .abortDeployment(
                AbortDeploymentRequest.newBuilder()
                    .setDeploymentId(d.getId())
                    .setReason("test over")
                    .build())
            .getDeployment();
    assertThat(aborted.getId()).isEqualTo(d.getId());
  }

  @Test
  void onlyTheDelegatingServiceMaySendTheHeader() {
    for (TestPrincipal signer :
        new TestPrincipal[] {
          TestPrincipal.service("billing").trustedBy(keyCache),
          TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_ADMIN).trustedBy(keyCache),
          TestPrincipal.bot().trustedBy(keyCache)
        }) {
      assertDenied(() -> versionMapActingFor(signer, operator.agentId()), "ACTING_FOR_NOT_ALLOWED");
    }
  }

  @Test
  void theNamedAgentMustBeAKnownActiveOperator() {
    assertDenied(
        () -> versionMapActingFor(fleetService, "op-0000000000000000"), "ACTING_FOR_UNKNOWN");
    TestPrincipal revoked =
        TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_ADMIN).trustedBy(keyCache);
    keyCache.revoke(revoked.agentId(), keyCache.revision());
    assertDenied(() -> versionMapActingFor(fleetService, revoked.agentId()), "ACTING_FOR_UNKNOWN");
    TestPrincipal bot = TestPrincipal.bot().trustedBy(keyCache);
    assertDenied(() -> versionMapActingFor(fleetService, bot.agentId()), "ACTING_FOR_NOT_OPERATOR");
    TestPrincipal deploy = TestPrincipal.service("deploy").trustedBy(keyCache);
    assertDenied(
        () -> versionMapActingFor(fleetService, deploy.agentId()), "ACTING_FOR_NOT_OPERATOR");
  }

  @Test
  void theRuleMustAdmitBothTheServiceAndTheOperator() {
    String group = uniqueGroup("spot-arb");
    fleet.perpMomentum(group);
    TestPrincipal viewer =
        TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_VIEWER).trustedBy(keyCache);

    // CreateDeployment admits fleet-service and operators from OPERATOR: not a viewer through it.
    assertThatThrownBy(
            () ->
                actingFor(
                        fleetService, viewer.agentId(), DeployServiceGrpc.newBlockingStub(channel))
                    .createDeployment(toGroup(group, "2.0.0").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(e.getStatus().getDescription())
                  .contains("VIEWER")
                  .contains(viewer.agentId());
            });
    // GetVersionMap admits operators but no service: an admin through fleet-service is refused.
    TestPrincipal admin =
        TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_ADMIN).trustedBy(keyCache);
    assertThatThrownBy(() -> versionMapActingFor(fleetService, admin.agentId()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(e.getStatus().getDescription()).contains("service fleet");
            });
    // The admin signing itself may.
    signed(admin, DeployServiceGrpc.newBlockingStub(channel))
        .getVersionMap(GetVersionMapRequest.newBuilder().setGroup(group).build());
  }

  @Test
  void aHeaderChangedOrAddedAfterSigningDoesNotVerify() {
    TestPrincipal other =
        TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_ADMIN).trustedBy(keyCache);
    String group = uniqueGroup("spot-arb");

    // Signed for the operator, rewritten on the way to name an admin.
    assertUnauthenticated(
        () ->
            actingFor(
                    fleetService,
                    operator.agentId(),
                    DeployServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(rewrite(h -> replaced(h, other.agentId()))))
                .listDeployments(
                    io.botfleet.deploy.v1.ListDeploymentsRequest.newBuilder()
                        .setGroup(group)
                        .build()));
    // Signed on fleet-service's own account, a header added on the way.
    assertUnauthenticated(
        () ->
            signed(
                    fleetService,
                    DeployServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(rewrite(h -> replaced(h, operator.agentId()))))
                .listDeployments(
                    io.botfleet.deploy.v1.ListDeploymentsRequest.newBuilder()
                        .setGroup(group)
                        .build()));
    // Signed for the operator, the header dropped on the way.
    assertUnauthenticated(
        () ->
            actingFor(
                    fleetService,
                    operator.agentId(),
                    DeployServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(
                            rewrite(
                                h -> {
                                  h.discardAll(SignatureHeaders.ACTING_FOR);
                                  return h;
                                })))
                .listDeployments(
                    io.botfleet.deploy.v1.ListDeploymentsRequest.newBuilder()
                        .setGroup(group)
                        .build()));
  }

  /** {@code stub} signed by {@code signer} with botfleet-acting-for {@code agentId}. */
  private static <S extends AbstractStub<S>> S actingFor(
      TestPrincipal signer, String agentId, S stub) {
    Metadata header = new Metadata();
    header.put(SignatureHeaders.ACTING_FOR, agentId);
    // Runs before the signing interceptor, so the header is signed.
    return signed(signer, stub).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(header));
  }

  private void versionMapActingFor(TestPrincipal signer, String agentId) {
    actingFor(signer, agentId, DeployServiceGrpc.newBlockingStub(channel))
        .getVersionMap(GetVersionMapRequest.newBuilder().setGroup("any").build());
  }

  private static Metadata replaced(Metadata headers, String agentId) {
    headers.discardAll(SignatureHeaders.ACTING_FOR);
    headers.put(SignatureHeaders.ACTING_FOR, agentId);
    return headers;
  }

  /** An interceptor between the signer and the wire that rewrites the headers already signed. */
  private static ClientInterceptor rewrite(UnaryOperator<Metadata> change) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(
            next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            super.start(listener, change.apply(headers));
          }
        };
      }
    };
  }

  private static void assertDenied(Executable call, String reason) {
    assertThatThrownBy(call::execute)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(errorInfo(e).getReason()).isEqualTo(reason);
              assertThat(e.getStatus().getDescription()).contains("botfleet-acting-for");
              assertThat(errorInfo(e).getMetadataMap())
                  .containsEntry("field", "botfleet-acting-for");
            });
  }

  private static void assertUnauthenticated(Executable call) {
    assertThatThrownBy(call::execute)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription()).contains("bf-signature does not verify");
            });
  }
}
