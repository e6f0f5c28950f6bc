package io.botfleet.deploy.persistence;

import io.botfleet.deploy.domain.DeploymentState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Deployments. */
@ApplicationScoped
public class DeploymentRepository implements PanacheRepositoryBase<DeploymentEntity, String> {

  /**
   * A page of deployments, newest first, after a keyset position.
   *
   * @param group only this group ("" for all)
   * @param states only these states (empty for all)
   * @param afterCreatedAt the previous page's last creation time, or null for the first page
   * @param afterId the previous page's last id (ties of creation time)
   * @param limit rows to return
   */
  public List<DeploymentEntity> page(
      String group,
      List<DeploymentState> states,
      OffsetDateTime afterCreatedAt,
      String afterId,
      int limit) {
    List<String> where = new ArrayList<>();
    Parameters parameters = new Parameters();
    if (!group.isEmpty()) {
      where.add("group = :group");
      parameters.and("group", group);
    }
    if (!states.isEmpty()) {
      where.add("state in :states");
      parameters.and("states", states);
    }
    if (afterCreatedAt != null) {
      where.add("(createdAt < :after or (createdAt = :after and id < :afterId))");
      parameters.and("after", afterCreatedAt).and("afterId", afterId);
    }
    String query =
        (where.isEmpty() ? "" : String.join(" and ", where)) + " order by createdAt desc, id desc";
    return find(query.trim(), parameters).page(0, limit).list();
  }
}
