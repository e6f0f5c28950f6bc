package io.botfleet.fleet.service;

import io.botfleet.fleet.domain.FleetEventTypes;
import io.botfleet.fleet.domain.GroupPolicy;
import io.botfleet.fleet.persistence.GroupPolicyEntity;
import io.botfleet.fleet.persistence.GroupPolicyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Group policies: failover mode and statefulness. */
@ApplicationScoped
public class GroupPolicyService {

  @Inject GroupPolicyRepository policies;
  @Inject FleetEvents events;

  /** Sets a group's policy; returns it as stored. */
  @Transactional
  public GroupPolicy set(GroupPolicy policy) {
    policy.check();
    GroupPolicyEntity row = policies.findById(policy.group());
    boolean fresh = row == null;
    if (fresh) {
      row = new GroupPolicyEntity();
      row.group = policy.group();
    }
    row.failoverMode = policy.failoverMode();
    row.stateful = policy.stateful();
    row.minHealthyShare = policy.minHealthyShare();
    row.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
    row.updatedBy = FleetEvents.actor();
    if (fresh) {
      policies.persist(row);
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("group", row.group);
    payload.put("failover_mode", row.failoverMode.name().toLowerCase(Locale.ROOT));
    payload.put("stateful", row.stateful);
    payload.put("min_healthy_share", row.minHealthyShare);
    events.record(FleetEventTypes.GROUP_POLICY_CHANGED, null, payload);
    return row.toDomain();
  }

  /** Every group's policy that was set, by group. */
  @Transactional
  public List<GroupPolicy> list() {
    return policies.listAll(io.quarkus.panache.common.Sort.by("group")).stream()
        .map(GroupPolicyEntity::toDomain)
        .toList();
  }
}
