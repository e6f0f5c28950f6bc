package io.botfleet.health.service;

import io.botfleet.common.auth.Caller;
import io.botfleet.common.events.EventLog;
import io.botfleet.health.domain.HealthPolicy;
import io.botfleet.health.domain.StoredPolicy;
import io.botfleet.health.persistence.HealthPolicyEntity;
import io.botfleet.health.persistence.HealthPolicyRepository;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/** Setting and reading health policies. */
@ApplicationScoped
public class HealthPolicyService {

  @Inject HealthPolicyRepository policies;
  @Inject EventLog events;
  @Inject io.botfleet.common.db.PgNotifications notifications;

  /**
   * Stores a policy as given (empty fields keep inheriting), after checking that the policy it
   * makes effective is consistent. Returns the stored policy.
   */
  @Transactional
  public StoredPolicy set(HealthPolicy policy) {
    HealthPolicy base = policy.group().isEmpty() ? HealthPolicy.GUIDE_DEFAULTS : effective("");
    policy.over(base).check();
    HealthPolicyEntity row = policies.findById(policy.group());
    if (row == null) {
      row = new HealthPolicyEntity();
      row.group = policy.group();
      row.set(policy);
      row.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
      row.updatedBy = Caller.current().agentId();
      policies.persist(row);
    } else {
      row.set(policy);
      row.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
      row.updatedBy = Caller.current().agentId();
    }
    // Every replica reloads its policies (and dead-bot deadlines) when this commits.
    notifications.notify(PolicyCache.CHANNEL, policy.group().isEmpty() ? "-" : policy.group());
    events.append(
        "fleet.health_policy_set",
        null,
        Map.of("group", policy.group().isEmpty() ? "(fleet)" : policy.group()));
    Log.infof("Health policy of %s set", policy.group().isEmpty() ? "the fleet" : policy.group());
    return new StoredPolicy(row.toDomain(), row.updatedAt.toInstant(), row.updatedBy);
  }

  /** The effective policy of a group ("" for the fleet): every field set. */
  @Transactional
  public HealthPolicy effective(String group) {
    HealthPolicy fleet =
        policies
            .findByIdOptional("")
            .map(HealthPolicyEntity::toDomain)
            .orElse(HealthPolicy.GUIDE_DEFAULTS)
            .over(HealthPolicy.GUIDE_DEFAULTS);
    if (group.isEmpty()) {
      return fleet;
    }
    return policies
        .findByIdOptional(group)
        .map(HealthPolicyEntity::toDomain)
        .map(p -> p.over(fleet))
        .orElse(withGroup(fleet, group));
  }

  private static HealthPolicy withGroup(HealthPolicy policy, String group) {
    return new HealthPolicy(
        group,
        policy.heartbeatInterval(),
        policy.deadAfter(),
        policy.drawdownWarningPct(),
        policy.drawdownCriticalPct(),
        policy.latencyWarningMs(),
        policy.latencyCriticalMs(),
        policy.errorsWarning(),
        policy.errorsCritical(),
        policy.memoryCriticalMb());
  }
}
