package io.botfleet.deploy.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The bots of deployments. */
@ApplicationScoped
public class DeploymentBotRepository
    implements PanacheRepositoryBase<DeploymentBotEntity, DeploymentBotEntity.Key> {

  /** A deployment's bots in the order they are updated. */
  public List<DeploymentBotEntity> ofDeployment(String deploymentId) {
    return list("deploymentId = ?1 order by position, botName", deploymentId);
  }
}
