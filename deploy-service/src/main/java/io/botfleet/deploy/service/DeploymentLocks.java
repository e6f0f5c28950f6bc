package io.botfleet.deploy.service;

import io.botfleet.deploy.persistence.DeploymentBotEntity;
import io.botfleet.deploy.persistence.DeploymentBotRepository;
import io.botfleet.deploy.persistence.DeploymentEntity;
import io.botfleet.deploy.persistence.DeploymentRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Every change of a deployment runs in its own transaction on the deployment's locked row, after
 * checking that the change still applies: that this replica still holds the lease (a replica whose
 * lease was taken over acts no more) and that the deployment is still where the caller saw it (an
 * operator may have paused it meanwhile). Operators' changes take the same lock, so a pause never
 * interleaves with a send: once PauseDeployment has returned, nothing more is sent.
 */
@ApplicationScoped
public class DeploymentLocks {

  /** A deployment and its bots as read at one moment (detached: for reading only). */
  public record Snapshot(DeploymentEntity deployment, List<DeploymentBotEntity> bots) {}

  @Inject DeploymentRepository deployments;
  @Inject DeploymentBotRepository bots;
  @Inject Clock clock;

  /** The deployment and its bots, or empty if there is no such deployment. */
  public Optional<Snapshot> snapshot(String id) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                deployments
                    .findByIdOptional(id)
                    .map(d -> new Snapshot(d, List.copyOf(bots.ofDeployment(id)))));
  }

  /**
   * Runs {@code work} on the locked deployment if {@code owner} still drives it (any owner when
   * null: operators) and {@code still} holds.
   *
   * @return true if the work ran (and committed)
   */
  public boolean change(
      String id, String owner, Predicate<DeploymentEntity> still, Consumer<DeploymentEntity> work) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Optional<DeploymentEntity> locked = deployments.lock(id);
              if (locked.isEmpty()) {
                return false;
              }
              DeploymentEntity d = locked.get();
              if ((owner != null && !owner.equals(d.leaseOwner)) || !still.test(d)) {
                return false;
              }
              work.accept(d);
              d.updatedAt = clock.instant().atOffset(ZoneOffset.UTC);
              return true;
            });
  }

  /** The managed bot rows of a deployment (inside {@link #change}). */
  public List<DeploymentBotEntity> bots(String deploymentId) {
    return bots.ofDeployment(deploymentId);
  }
}
