package io.botfleet.fleet.persistence;

import io.botfleet.fleet.domain.GroupPolicy;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Group policies. */
@ApplicationScoped
public class GroupPolicyRepository implements PanacheRepositoryBase<GroupPolicyEntity, String> {

  /** The group's policy, or the defaults. */
  public GroupPolicy policyOf(String group) {
    return findByIdOptional(group)
        .map(GroupPolicyEntity::toDomain)
        .orElseGet(() -> GroupPolicy.defaults(group));
  }
}
