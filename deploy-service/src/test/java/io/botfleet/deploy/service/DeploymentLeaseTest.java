package io.botfleet.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.deploy.domain.DeploymentIds;
import io.botfleet.deploy.domain.DeploymentState;
import io.botfleet.deploy.domain.Strategy;
import io.botfleet.deploy.persistence.DeploymentEntity;
import io.botfleet.deploy.persistence.DeploymentRepository;
import io.botfleet.deploy.sim.SimulatedFleetResource;
import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Only the lease holder drives a deployment; a replica whose lease was taken over acts no more. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(SimulatedFleetResource.class)
class DeploymentLeaseTest {

  @Inject RolloutDriver driver;
  @Inject DeploymentRepository deployments;
  @Inject DeploymentLocks locks;
  @Inject EntityManager entityManager;

  @BeforeEach
  void noBackgroundDriver() {
    driver.stop(true);
  }

  @AfterEach
  void driverRunsAgain() {
    driver.start();
  }

  @Test
  void aLeaseIsExclusiveUntilItExpiresAndTheFormerHolderIsFencedOff() {
    String id = QuarkusTransaction.requiringNew().call(this::insertRollingDeployment);
    Duration ttl = Duration.ofSeconds(30);

    assertThat(claim("replica-a", ttl)).contains(id);
    assertThat(claim("replica-b", ttl)).doesNotContain(id);
    assertThat(change(id, "replica-b")).isFalse();
    assertThat(change(id, "replica-a")).isTrue();
    // Renewal by the holder keeps it.
    assertThat(claim("replica-a", ttl)).contains(id);

    // replica-a stops renewing (it died); once the lease is over, replica-b takes over.
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                entityManager
                    .createNativeQuery(
                        "update deployments set lease_until = now() - interval '1 second' where id = :id")
                    .setParameter("id", id)
                    .executeUpdate());
    assertThat(claim("replica-b", ttl)).contains(id);
    assertThat(change(id, "replica-a")).isFalse();
    assertThat(change(id, "replica-b")).isTrue();
    QuarkusTransaction.requiringNew().run(() -> deployments.release("replica-b"));
    assertThat(claim("replica-a", ttl)).contains(id);
    QuarkusTransaction.requiringNew()
        .run(() -> deployments.lock(id).orElseThrow().state = DeploymentState.ABORTED);
  }

  private java.util.List<String> claim(String owner, Duration ttl) {
    return QuarkusTransaction.requiringNew().call(() -> deployments.claim(owner, ttl, 1000));
  }

  private boolean change(String id, String owner) {
    return locks.change(id, owner, d -> true, d -> d.reason = "touched by " + owner);
  }

  private String insertRollingDeployment() {
    Instant now = Instant.now();
    DeploymentEntity d = new DeploymentEntity();
    String group = "lease-" + UUID.randomUUID().toString().substring(0, 6);
    d.id = DeploymentIds.of("1.0.0", group, now);
    d.version = "1.0.0";
    d.artifactRef = "registry.example/bot:1.0.0";
    d.group = group;
    d.selector = "{\"group\": \"" + group + "\"}";
    d.strategy = Strategy.ROLLING;
    d.parameters = "{}";
    d.steps = "[{\"pause\": {}}]";
    d.state = DeploymentState.ROLLING;
    d.requestedBy = "op-tester";
    d.createdAt = now.atOffset(ZoneOffset.UTC);
    d.startedAt = d.createdAt;
    d.stepStartedAt = d.createdAt;
    deployments.persist(d);
    return d.id;
  }
}
