package io.botfleet.health.grpc;

import static io.botfleet.devkit.StatusDetails.badRequestFields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Duration;
import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.GrpcTestSupport;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.health.v1.GetHealthPolicyRequest;
import io.botfleet.health.v1.HealthPolicy;
import io.botfleet.health.v1.SetHealthPolicyRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
class HealthPolicyTest extends GrpcTestSupport {

  @Inject KeyCache keyCache;

  @Test
  void aGroupWithoutAPolicyHasTheGuidesThresholds() {
    HealthPolicy policy = get("no-policy-" + UUID.randomUUID());

    assertThat(policy.getHeartbeatInterval().getSeconds()).isEqualTo(30);
    assertThat(policy.getDeadAfter().getSeconds()).isEqualTo(120);
    assertThat(policy.getDrawdownWarningPct()).isEqualTo(5.0);
    assertThat(policy.getDrawdownCriticalPct()).isEqualTo(10.0);
    assertThat(policy.getLatencyWarningMs()).isEqualTo(1000.0);
    assertThat(policy.getLatencyCriticalMs()).isEqualTo(5000.0);
    assertThat(policy.getErrorsWarning()).isEqualTo(3);
    assertThat(policy.getErrorsCritical()).isEqualTo(10);
    assertThat(policy.getMemoryCriticalMb()).isEqualTo(2048.0);
  }

  @Test
  void aGroupOverrideIsPersistedAndInheritsTheRest() {
    String group = "options-mm-" + UUID.randomUUID().toString().substring(0, 6);
    TestPrincipal operator = operator();

    var stored =
        stub(operator)
            .setHealthPolicy(
                SetHealthPolicyRequest.newBuilder()
                    .setPolicy(
                        HealthPolicy.newBuilder()
                            .setGroup(group)
                            .setDeadAfter(Duration.newBuilder().setSeconds(60))
                            .setDrawdownCriticalPct(8.0))
                    .build())
            .getPolicy();
    HealthPolicy effective = get(group);

    assertThat(stored.getUpdatedBy()).isEqualTo(operator.agentId());
    assertThat(stored.hasDrawdownWarningPct()).isFalse();
    assertThat(effective.getDeadAfter().getSeconds()).isEqualTo(60);
    assertThat(effective.getDrawdownCriticalPct()).isEqualTo(8.0);
    assertThat(effective.getDrawdownWarningPct()).isEqualTo(5.0);
    assertThat(effective.getLatencyCriticalMs()).isEqualTo(5000.0);
  }

  @Test
  void aWarningAboveItsInheritedCriticalLevelIsRefusedAndNothingChanges() {
    String group = "perp-" + UUID.randomUUID().toString().substring(0, 6);
    SetHealthPolicyRequest bad =
        SetHealthPolicyRequest.newBuilder()
            .setPolicy(
                HealthPolicy.newBuilder()
                    .setGroup(group)
                    .setDrawdownWarningPct(12.0)
                    .setDeadAfter(Duration.newBuilder().setSeconds(5)))
            .build();

    assertThatThrownBy(() -> stub(operator()).setHealthPolicy(bad))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(badRequestFields(e))
                  .containsExactly("policy.dead_after", "policy.drawdown_warning_pct");
            });
    assertThat(get(group).getDrawdownWarningPct()).isEqualTo(5.0);
  }

  @Test
  void aViewerMayReadButNotSetAPolicy() {
    TestPrincipal viewer =
        TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_VIEWER).trustedBy(keyCache);
    assertThat(
            stub(viewer).getHealthPolicy(GetHealthPolicyRequest.getDefaultInstance()).hasPolicy())
        .isTrue();
    assertThatThrownBy(
            () ->
                stub(viewer)
                    .setHealthPolicy(
                        SetHealthPolicyRequest.newBuilder()
                            .setPolicy(HealthPolicy.newBuilder().setGroup("x"))
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  private TestPrincipal operator() {
    return TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_OPERATOR).trustedBy(keyCache);
  }

  private FleetHealthServiceGrpc.FleetHealthServiceBlockingStub stub(TestPrincipal principal) {
    return signed(principal, FleetHealthServiceGrpc.newBlockingStub(channel));
  }

  private HealthPolicy get(String group) {
    return stub(operator())
        .getHealthPolicy(GetHealthPolicyRequest.newBuilder().setGroup(group).build())
        .getPolicy();
  }
}
