package io.botfleet.deploy.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The analyses of deployments. */
@ApplicationScoped
public class DeploymentGateRepository
    implements PanacheRepositoryBase<DeploymentGateEntity, DeploymentGateEntity.Key> {

  /** A deployment's analyses, oldest first. */
  public List<DeploymentGateEntity> ofDeployment(String deploymentId) {
    return list("deploymentId = ?1 order by decidedAt, step", deploymentId);
  }
}
