package io.botfleet.health.service;

import io.botfleet.common.db.PgNotifications;
import io.botfleet.health.domain.HealthPolicy;
import io.botfleet.health.persistence.HealthPolicyEntity;
import io.botfleet.health.persistence.HealthPolicyRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The effective policies in memory, so evaluating a heartbeat never touches the database. Reloaded
 * when a policy changes here or, through NOTIFY, on another replica.
 */
@ApplicationScoped
public class PolicyCache {

  static final String CHANNEL = "health_policies";

  @Inject HealthPolicyRepository repository;
  @Inject PgNotifications notifications;

  private volatile HealthPolicy fleet = HealthPolicy.GUIDE_DEFAULTS;
  private volatile Map<String, HealthPolicy> overrides = Map.of();
  private final Map<String, HealthPolicy> effective = new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** Loads the policies and follows changes. */
  void start() {
    reload();
    notifications.listen(CHANNEL, payload -> reload());
  }

  /** Calls {@code listener} after every reload (dead-bot deadlines depend on policies). */
  void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** The effective policy of a group: every field set. */
  public HealthPolicy of(String group) {
    return effective.computeIfAbsent(
        group,
        g -> {
          HealthPolicy override = overrides.get(g);
          HealthPolicy base = fleet;
          return override == null ? withGroup(base, g) : override.over(base);
        });
  }

  /** Re-reads every policy. */
  public void reload() {
    List<HealthPolicy> rows =
        QuarkusTransaction.requiringNew()
            .call(() -> repository.listAll().stream().map(HealthPolicyEntity::toDomain).toList());
    HealthPolicy fleetPolicy = HealthPolicy.GUIDE_DEFAULTS;
    Map<String, HealthPolicy> groups = new HashMap<>();
    for (HealthPolicy row : rows) {
      if (row.group().isEmpty()) {
        fleetPolicy = row.over(HealthPolicy.GUIDE_DEFAULTS);
      } else {
        groups.put(row.group(), row);
      }
    }
    fleet = fleetPolicy;
    overrides = Map.copyOf(groups);
    effective.clear();
    listeners.forEach(Runnable::run);
  }

  private static HealthPolicy withGroup(HealthPolicy p, String group) {
    return new HealthPolicy(
        group,
        p.heartbeatInterval(),
        p.deadAfter(),
        p.drawdownWarningPct(),
        p.drawdownCriticalPct(),
        p.latencyWarningMs(),
        p.latencyCriticalMs(),
        p.errorsWarning(),
        p.errorsCritical(),
        p.memoryCriticalMb());
  }
}
