package io.botfleet.deploy.grpc;

import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.deploy.domain.DeploymentIds;
import io.botfleet.deploy.domain.DeploymentState;
import io.botfleet.deploy.domain.Strategy;
import io.botfleet.deploy.persistence.DeploymentEntity;
import io.botfleet.deploy.persistence.DeploymentRepository;
import io.botfleet.deploy.sim.SimulatedFleetResource;
import io.botfleet.deploy.v1.DeployServiceGrpc;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.GetDeploymentRequest;
import io.botfleet.deploy.v1.ListDeploymentsRequest;
import io.botfleet.deploy.v1.ListDeploymentsResponse;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.GrpcTestSupport;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.devkit.TestPrincipal;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(SimulatedFleetResource.class)
class ListDeploymentsTest extends GrpcTestSupport {

  @Inject KeyCache keyCache;
  @Inject DeploymentRepository deployments;

  @Test
  void deploymentsOfAGroupArePagedNewestFirstWithoutGapsOrRepeats() {
    String group = "grp-" + UUID.randomUUID().toString().substring(0, 6);
    Instant start = Instant.parse("2026-11-01T00:00:00Z");
    List<String> ids = new ArrayList<>();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              for (int i = 0; i < 5; i++) {
                ids.add(
                    insert(group, "1." + i + ".0", start.plusSeconds(i), DeploymentState.COMPLETE));
              }
            });
    var stub = signed(viewer(), DeployServiceGrpc.newBlockingStub(channel));

    List<String> seen = new ArrayList<>();
    String token = "";
    do {
      ListDeploymentsResponse page =
          stub.listDeployments(
              ListDeploymentsRequest.newBuilder()
                  .setGroup(group)
                  .setPageSize(2)
                  .setPageToken(token)
                  .build());
      page.getDeploymentsList().forEach(d -> seen.add(d.getId()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());

    List<String> newestFirst = new ArrayList<>(ids);
    java.util.Collections.reverse(newestFirst);
    assertThat(seen).containsExactlyElementsOf(newestFirst);
  }

  @Test
  void getDeploymentAnswersTheStoredRecordOrNotFound() {
    String group = "grp-" + UUID.randomUUID().toString().substring(0, 6);
    String id =
        QuarkusTransaction.requiringNew()
            .call(() -> insert(group, "2.0.0", Instant.now(), DeploymentState.PAUSED));
    var stub = signed(viewer(), DeployServiceGrpc.newBlockingStub(channel));

    Deployment deployment =
        stub.getDeployment(GetDeploymentRequest.newBuilder().setDeploymentId(id).build())
            .getDeployment();

    assertThat(deployment.getVersion()).isEqualTo("2.0.0");
    assertThat(deployment.getGroup()).isEqualTo(group);
    assertThat(deployment.getState())
        .isEqualTo(io.botfleet.deploy.v1.DeploymentState.DEPLOYMENT_STATE_PAUSED);
    assertThatThrownBy(
            () ->
                stub.getDeployment(
                    GetDeploymentRequest.newBuilder()
                        .setDeploymentId("deploy-000000000000")
                        .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(errorInfo(e).getReason()).isEqualTo("DEPLOYMENT_NOT_FOUND");
            });
  }

  @Test
  void filteringByStateKeepsOnlyThoseStates() {
    String group = "grp-" + UUID.randomUUID().toString().substring(0, 6);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              insert(group, "3.0.0", Instant.now(), DeploymentState.ROLLED_BACK);
              insert(group, "3.0.1", Instant.now().plusSeconds(1), DeploymentState.COMPLETE);
            });

    var page =
        signed(viewer(), DeployServiceGrpc.newBlockingStub(channel))
            .listDeployments(
                ListDeploymentsRequest.newBuilder()
                    .setGroup(group)
                    .addStates(io.botfleet.deploy.v1.DeploymentState.DEPLOYMENT_STATE_ROLLED_BACK)
                    .build());

    assertThat(page.getDeploymentsList())
        .extracting(Deployment::getVersion)
        .containsExactly("3.0.0");
  }

  private TestPrincipal viewer() {
    return TestPrincipal.operator(OperatorRole.OPERATOR_ROLE_VIEWER).trustedBy(keyCache);
  }

  private String insert(String group, String version, Instant createdAt, DeploymentState state) {
    DeploymentEntity d = new DeploymentEntity();
    d.id = DeploymentIds.of(version, group, createdAt);
    d.version = version;
    d.artifactRef = "registry.example/bot:" + version;
    d.group = group;
    d.selector = "{\"group\": \"" + group + "\"}";
    d.strategy = Strategy.CANARY;
    d.parameters = "{}";
    d.steps = "[]";
    d.state = state;
    d.requestedBy = "op-tester";
    d.createdAt = createdAt.atOffset(ZoneOffset.UTC);
    deployments.persist(d);
    return d.id;
  }
}
