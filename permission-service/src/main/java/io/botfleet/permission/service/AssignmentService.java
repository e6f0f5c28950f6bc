package io.botfleet.permission.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.events.EventLog;
import io.botfleet.permission.domain.Assignment;
import io.botfleet.permission.domain.AssignmentInput;
import io.botfleet.permission.domain.EscalationState;
import io.botfleet.permission.domain.InstrumentPattern;
import io.botfleet.permission.domain.Restrictions;
import io.botfleet.permission.domain.TierCatalog;
import io.botfleet.permission.greenhelix.PermissionAnnouncements;
import io.botfleet.permission.persistence.AssignmentEntity;
import io.botfleet.permission.persistence.AssignmentRepository;
import io.botfleet.permission.persistence.EscalationRepository;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Assigning, reading and removing a bot's permissions. */
@ApplicationScoped
public class AssignmentService {

  @Inject AssignmentRepository assignments;
  @Inject EscalationRepository escalations;
  @Inject EscalationService escalationService;
  @Inject TierService tiers;
  @Inject PermissionChanges changes;
  @Inject EventLog events;
  @Inject PermissionAnnouncements greenHelix;

  /**
   * Assigns (or replaces) a bot's tier and restrictions. A suspension in force stays in force; an
   * active escalation ends (the new assignment is what the bot holds from now on). A retry with the
   * same request id returns the bot's assignment without assigning again.
   *
   * @param actor who assigns (agent id)
   */
  @Transactional
  public Assignment assign(AssignmentInput input, String actor) {
    TierCatalog catalog = tiers.catalog();
    AssignmentInput.Checked checked = input.check(catalog);
    if (!input.requestId().isEmpty()) {
      Optional<String> earlier = assignments.agentOfRequest(input.requestId());
      if (earlier.isPresent()) {
        if (!earlier.get().equals(input.agentId())) {
          throw BotfleetException.alreadyExists(
              "REQUEST_ID_REUSED",
              "request_id " + input.requestId() + " was used for another bot",
              Map.of("agent_id", earlier.get()));
        }
        return get(input.agentId());
      }
      assignments.recordRequest(input.requestId(), input.agentId());
    }
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    AssignmentEntity row = assignments.findForUpdate(input.agentId()).orElse(null);
    boolean replaced = row != null;
    if (row == null) {
      row = new AssignmentEntity();
      row.agentId = input.agentId();
    } else if (row.escalationId != null) {
      escalationService.end(row, now, actor, "superseded by a new assignment");
    }
    row.botName = input.botName();
    row.group = input.group().isEmpty() ? null : input.group();
    row.role = checked.role().wireName();
    row.exchange = input.exchange();
    row.baseTier = checked.tier().name();
    row.tier = checked.tier().name();
    row.escalationId = null;
    row.escalationEndsAt = null;
    row.setRestrictions(checked.restrictions());
    row.assignedBy = actor;
    row.assignedAt = now;
    try {
      if (!replaced) {
        assignments.persist(row);
      }
      assignments.flush();
    } catch (PersistenceException e) {
      // Another assignment of the same bot (or request id) committed between the read and here.
      throw BotfleetException.unavailable(
          "CONCURRENT_ASSIGNMENT", "bot " + input.agentId() + " was assigned concurrently; retry");
    }
    Assignment assignment = row.toDomain();
    List<String> permissions = assignment.permissionsAt(catalog, now.toInstant());
    Map<String, Object> payload = assignedPayload(assignment, catalog, permissions, actor);
    events.append("fleet.permission_assigned", assignment.agentId(), actor, payload);
    greenHelix.event(assignment.agentId(), "fleet.permission_assigned", payload);
    greenHelix.permissionFacts(
        assignment.agentId(), assignment.tier(), permissions, assignment.exchange());
    changes.changed(List.of(assignment.agentId()));
    Log.infof(
        "Assigned %s (%s) tier %s on %s by %s",
        assignment.botName(),
        assignment.agentId(),
        assignment.tier(),
        assignment.exchange(),
        actor);
    return assignment;
  }

  /** A bot's assignment; NOT_FOUND if it has none. */
  @Transactional
  public Assignment get(String agentId) {
    return assignments
        .findByIdOptional(agentId)
        .map(AssignmentEntity::toDomain)
        .orElseThrow(() -> notFound(agentId));
  }

  /**
   * Removes a bot's permissions and closes its open escalations; later checks deny it as an unknown
   * bot.
   *
   * @return true if it had permissions
   */
  @Transactional
  public boolean remove(String agentId, String reason, String actor) {
    Optional<AssignmentEntity> found = assignments.findForUpdate(agentId);
    if (found.isEmpty()) {
      return false;
    }
    AssignmentEntity row = found.get();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    for (EscalationState state : List.of(EscalationState.PENDING, EscalationState.ACTIVE)) {
      escalations
          .findOfBot(agentId, state)
          .ifPresent(escalation -> EscalationService.close(escalation, now, "permissions removed"));
    }
    assignments.delete(row);
    assignments.flush();
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("agent_id", agentId);
    payload.put("bot_name", row.botName);
    payload.put("tier", row.tier);
    payload.put("reason", reason);
    payload.put("removed_by", actor);
    payload.put("removed_at", now.toInstant().toString());
    events.append("fleet.permission_removed", agentId, actor, payload);
    greenHelix.event(agentId, "fleet.permission_removed", payload);
    changes.changed(List.of(agentId));
    Log.infof("Removed the permissions of %s (%s) by %s", row.botName, agentId, actor);
    return true;
  }

  /** The guide's fleet.permission_assigned record, plus who assigned it and the bot's role. */
  static Map<String, Object> assignedPayload(
      Assignment a, TierCatalog catalog, List<String> permissions, String actor) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("agent_id", a.agentId());
    payload.put("bot_name", a.botName());
    payload.put("exchange", a.exchange());
    payload.put("tier", a.tier());
    payload.put("abstract_permissions", permissions);
    payload.put("exchange_config", a.exchangeConfigAt(catalog, Instant.now()));
    payload.put("custom_restrictions", restrictionsPayload(a.restrictions()));
    payload.put("assigned_at", a.assignedAt().toString());
    payload.put("assigned_by", actor);
    payload.put("role", a.role().wireName());
    if (a.group() != null) {
      payload.put("group", a.group());
    }
    return payload;
  }

  /** The restrictions that are set, as the guide writes them (numbers stay exact decimals). */
  static Map<String, Object> restrictionsPayload(Restrictions r) {
    Map<String, Object> payload = new LinkedHashMap<>();
    if (r.maxOrderSizeUsd() != null) {
      payload.put("max_order_size_usd", r.maxOrderSizeUsd());
    }
    if (r.maxPositionUsd() != null) {
      payload.put("max_position_usd", r.maxPositionUsd());
    }
    if (!r.allowedPairs().isEmpty()) {
      payload.put("allowed_pairs", r.allowedPairs());
    }
    if (!r.allowedInstruments().isEmpty()) {
      payload.put(
          "allowed_instruments",
          r.allowedInstruments().stream().map(InstrumentPattern::text).toList());
    }
    if (r.maxDeltaExposure() != null) {
      payload.put("max_delta_exposure", r.maxDeltaExposure());
    }
    if (!r.deniedActions().isEmpty()) {
      payload.put("denied_actions", r.deniedActions());
    }
    return payload;
  }

  static BotfleetException notFound(String agentId) {
    return BotfleetException.notFound(
        "PERMISSIONS_NOT_FOUND",
        "bot " + agentId + " has no permissions",
        Map.of("agent_id", agentId));
  }
}
