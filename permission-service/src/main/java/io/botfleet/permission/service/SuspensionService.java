package io.botfleet.permission.service;

import io.botfleet.common.error.Violations;
import io.botfleet.permission.domain.SuspensionMode;
import io.botfleet.permission.greenhelix.PermissionAnnouncements;
import io.botfleet.permission.persistence.SuspensionQueries;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Suspends and unsuspends bots: a pause or an emergency stop enforced by the checks themselves, so
 * a bot that ignores the command still cannot trade. Persisted; one call covers up to the whole
 * fleet.
 */
@ApplicationScoped
public class SuspensionService {

  /** Most bots in one call: the fleet size one instance carries. */
  public static final int MAX_BOTS = 10_000;

  @Inject SuspensionQueries queries;
  @Inject PermissionChanges changes;
  @Inject PermissionAnnouncements greenHelix;

  /**
   * The outcome of a suspension change.
   *
   * @param changed bots whose suspension this call set, raised or lifted
   * @param unknown ids that have no permissions here
   */
  public record Outcome(List<String> changed, List<String> unknown) {}

  /**
   * Suspends bots in a mode; a bot stopped already stays stopped, a paused bot becomes stopped.
   *
   * @param actor who suspends (agent id)
   */
  @Transactional
  public Outcome suspend(
      List<String> agentIds, SuspensionMode mode, String reason, String commandId, String actor) {
    Set<String> ids = check(agentIds, reason, commandId);
    Instant now = Instant.now();
    List<String> known = queries.known(ids);
    List<SuspensionQueries.Changed> changed =
        queries.suspend(
            ids,
            mode,
            new SuspensionQueries.Details(reason, actor, now, blankToNull(commandId)),
            "fleet.permission_suspended");
    Outcome outcome = outcome(ids, known, changed);
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("mode", mode.name());
    payload.put("reason", reason);
    payload.put("command_id", commandId);
    payload.put("suspended_by", actor);
    payload.put("suspended_at", now.toString());
    publish("fleet.permission_suspended", payload, outcome, actor);
    Log.infof(
        "Suspended (%s) %d bots by %s (command %s, %d unknown)",
        mode, outcome.changed().size(), actor, commandId, outcome.unknown().size());
    return outcome;
  }

  /**
   * Lifts suspensions: {@code mode} PAUSED lifts pauses only (a resume never undoes an emergency
   * stop); STOPPED or null lifts both.
   */
  @Transactional
  public Outcome unsuspend(
      List<String> agentIds, SuspensionMode mode, String reason, String commandId, String actor) {
    Set<String> ids = check(agentIds, reason, commandId);
    Instant now = Instant.now();
    List<String> known = queries.known(ids);
    List<SuspensionQueries.Changed> changed =
        queries.unsuspend(
            ids,
            SuspensionMode.liftedBy(mode),
            new SuspensionQueries.Details(reason, actor, now, blankToNull(commandId)),
            "fleet.permission_unsuspended");
    Outcome outcome = outcome(ids, known, changed);
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("lifted", SuspensionMode.liftedBy(mode).stream().map(Enum::name).toList());
    payload.put("reason", reason);
    payload.put("command_id", commandId);
    payload.put("unsuspended_by", actor);
    payload.put("unsuspended_at", now.toString());
    publish("fleet.permission_unsuspended", payload, outcome, actor);
    Log.infof("Unsuspended %d bots by %s (command %s)", outcome.changed().size(), actor, commandId);
    return outcome;
  }

  /**
   * One publish_event per call, for the actor, listing the bots (as the guide's
   * fleet.emergency_stop does); the per-bot events are in the events table.
   */
  private void publish(String type, Map<String, Object> payload, Outcome outcome, String actor) {
    changes.changed(outcome.changed());
    if (outcome.changed().isEmpty()) {
      return;
    }
    payload.put("bots_affected", outcome.changed().size());
    payload.put("bot_ids", outcome.changed());
    greenHelix.event(actor, type, payload);
  }

  private static Outcome outcome(
      Set<String> ids, List<String> known, List<SuspensionQueries.Changed> changed) {
    Set<String> unknown = new LinkedHashSet<>(ids);
    known.forEach(unknown::remove);
    return new Outcome(
        changed.stream().map(SuspensionQueries.Changed::agentId).toList(), List.copyOf(unknown));
  }

  private static Set<String> check(List<String> agentIds, String reason, String commandId) {
    Violations violations = new Violations();
    violations.require(
        !agentIds.isEmpty() && agentIds.size() <= MAX_BOTS,
        "agent_ids",
        "must hold 1 to " + MAX_BOTS + " agent ids, got " + agentIds.size());
    for (int i = 0; i < agentIds.size(); i++) {
      String id = agentIds.get(i);
      if (id.isEmpty() || id.length() > 128) {
        violations.add("agent_ids[" + i + "]", "must be an agent id (1 to 128 characters)");
        break;
      }
    }
    violations.require(!reason.isBlank(), "reason", "is required: it is the audit trail's why");
    violations.require(reason.length() <= 1000, "reason", "at most 1000 characters");
    violations.require(commandId.length() <= 128, "command_id", "at most 128 characters");
    violations.throwIfAny();
    return new LinkedHashSet<>(agentIds);
  }

  private static String blankToNull(String value) {
    return value.isBlank() ? null : value;
  }
}
