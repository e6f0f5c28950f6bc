package io.botfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.botfleet.common.auth.Principal;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.permission.v1.ListTiersRequest;
import io.botfleet.permission.v1.PermissionServiceGrpc;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The six services boot as real processes, and the key plumbing works across them: identity-service
 * makes the services' identities from their configured keys, every other service loads them through
 * WatchKeys, and a call signed by one service is verified by another.
 */
class FleetBootIT {

  final RunningFleet fleet = RunningFleet.get();

  @Test
  void everyServiceServesGrpcHealth() {
    for (String service : RunningFleet.SERVICES) {
      ManagedChannel channel = fleet.channel(service);
      try {
        HealthCheckResponse answer =
            HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance());
        assertThat(answer.getStatus())
            .as(service)
            .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void aCallSignedByFleetServiceIsVerifiedByAnotherServiceThroughTheKeyFeed() {
    TestPrincipal asFleet =
        new TestPrincipal(
            new Principal(
                "svc-fleet",
                PrincipalKind.PRINCIPAL_KIND_SERVICE,
                OperatorRole.OPERATOR_ROLE_UNSPECIFIED,
                "fleet"),
            fleet.serviceKey("fleet"));
    ManagedChannel permission = fleet.channel("permission");
    ManagedChannel identity = fleet.channel("identity");
    try {
      var tiers =
          asFleet
              .sign(PermissionServiceGrpc.newBlockingStub(permission))
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .listTiers(ListTiersRequest.getDefaultInstance());
      var self =
          asFleet
              .sign(IdentityServiceGrpc.newBlockingStub(identity))
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getIdentity(GetIdentityRequest.newBuilder().setAgentId("svc-deploy").build());

      assertThat(tiers.getTiersCount()).isEqualTo(4);
      assertThat(self.getIdentity().getPublicKey())
          .isEqualTo(fleet.serviceKey("deploy").key().publicKey().base64());
    } finally {
      permission.shutdownNow();
      identity.shutdownNow();
    }
  }
}
