package io.botfleet.permission.service;

import io.botfleet.permission.domain.Actions;
import io.botfleet.permission.domain.Assignment;
import io.botfleet.permission.domain.FleetPermissionSummary;
import io.botfleet.permission.domain.TierCatalog;
import io.botfleet.permission.domain.TierDefinition;
import io.botfleet.permission.persistence.AssignmentEntity;
import io.botfleet.permission.persistence.AssignmentRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The guide's fleet permission summary, read from the assignments as committed. */
@ApplicationScoped
public class FleetSummaryService {

  @Inject AssignmentRepository assignments;
  @Inject TierService tiers;

  /** Totals, bots per tier in force, who holds withdraw or admin, and who is suspended. */
  @Transactional
  public FleetPermissionSummary summary() {
    TierCatalog catalog = tiers.catalog();
    Instant now = Instant.now();
    Map<String, Integer> tierCounts = new LinkedHashMap<>();
    for (TierDefinition tier : catalog.tiers()) {
      tierCounts.put(tier.name(), 0);
    }
    List<String> withdraw = new ArrayList<>();
    List<String> admin = new ArrayList<>();
    List<FleetPermissionSummary.SuspendedBot> suspended = new ArrayList<>();
    List<AssignmentEntity> rows = assignments.listAll();
    for (AssignmentEntity row : rows) {
      Assignment assignment = row.toDomain();
      tierCounts.merge(assignment.tierAt(now), 1, Integer::sum);
      List<String> held = assignment.permissionsAt(catalog, now);
      if (held.contains(Actions.WITHDRAW_FUNDS)) {
        withdraw.add(assignment.botName());
      }
      if (held.contains(Actions.MODIFY_API_KEYS)) {
        admin.add(assignment.botName());
      }
      if (assignment.suspension() != null) {
        suspended.add(
            new FleetPermissionSummary.SuspendedBot(
                assignment.agentId(),
                assignment.botName(),
                assignment.suspension().mode(),
                assignment.suspension().suspendedAt()));
      }
    }
    withdraw.sort(Comparator.naturalOrder());
    admin.sort(Comparator.naturalOrder());
    suspended.sort(Comparator.comparing(FleetPermissionSummary.SuspendedBot::botName));
    return new FleetPermissionSummary(
        rows.size(), tierCounts, List.copyOf(withdraw), List.copyOf(admin), suspended, now);
  }
}
