package io.botfleet.permission.service;

import io.botfleet.common.events.EventLog;
import io.botfleet.permission.domain.Assignment;
import io.botfleet.permission.domain.Escalation;
import io.botfleet.permission.domain.TierCatalog;
import io.botfleet.permission.greenhelix.PermissionAnnouncements;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each step of an escalation tells the audit trail and GreenHelix, in the transaction of the
 * step: the guide's fleet.permission_escalated with its fields, and an event for every other step,
 * each with who did it.
 */
@ApplicationScoped
public class EscalationEvents {

  @Inject EventLog events;
  @Inject PermissionAnnouncements greenHelix;

  /** An operator asked. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void requested(Escalation e, String actor) {
    publish("fleet.permission_escalation_requested", e.agentId(), actor, base(e));
  }

  /** A second ADMIN approved: the guide's event, and the bot's new permission facts. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void escalated(
      Escalation active, Assignment after, TierCatalog catalog, Instant at, String actor) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("target_agent_id", active.agentId());
    payload.put("bot_name", active.botName());
    payload.put("old_tier", active.oldTier());
    payload.put("new_tier", active.newTier());
    payload.put("reason", active.reason());
    payload.put("approved_by", actor);
    payload.put("escalated_at", at.toString());
    payload.put("escalation_id", active.id().toString());
    payload.put("requested_by", active.requestedBy());
    payload.put("expires_at", active.expiresAt() == null ? null : active.expiresAt().toString());
    publish("fleet.permission_escalated", active.agentId(), actor, payload);
    facts(after, catalog, at);
  }

  /** An ADMIN denied. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void denied(Escalation e, String actor) {
    Map<String, Object> payload = base(e);
    payload.put("denied_by", actor);
    payload.put("denial_reason", e.decisionNote());
    publish("fleet.permission_escalation_denied", e.agentId(), actor, payload);
  }

  /** Nobody decided before the approval deadline. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void expired(Escalation e, Instant at) {
    Map<String, Object> payload = base(e);
    payload.put("expired_at", at.toString());
    publish("fleet.permission_escalation_expired", e.agentId(), EventLog.SYSTEM, payload);
  }

  /** An active escalation ended: its duration ran out, or a new assignment superseded it. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void ended(
      String escalationId,
      String escalatedTier,
      Assignment after,
      TierCatalog catalog,
      String why,
      String actor,
      Instant at) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("escalation_id", escalationId);
    payload.put("target_agent_id", after.agentId());
    payload.put("bot_name", after.botName());
    payload.put("old_tier", escalatedTier);
    payload.put("new_tier", after.tier());
    payload.put("reason", why);
    payload.put("ended_by", actor);
    payload.put("ended_at", at.toString());
    publish("fleet.permission_escalation_ended", after.agentId(), actor, payload);
    facts(after, catalog, at);
  }

  private void facts(Assignment assignment, TierCatalog catalog, Instant at) {
    greenHelix.permissionFacts(
        assignment.agentId(),
        assignment.tier(),
        assignment.permissionsAt(catalog, at),
        assignment.exchange());
  }

  private void publish(String type, String agentId, String actor, Map<String, Object> payload) {
    events.append(type, agentId, actor, payload);
    greenHelix.event(agentId, type, payload);
  }

  private static Map<String, Object> base(Escalation e) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("escalation_id", e.id().toString());
    payload.put("target_agent_id", e.agentId());
    payload.put("bot_name", e.botName());
    payload.put("old_tier", e.oldTier());
    payload.put("new_tier", e.newTier());
    payload.put("reason", e.reason());
    payload.put("requested_by", e.requestedBy());
    payload.put("requested_at", e.requestedAt().toString());
    payload.put("approval_deadline", e.approvalDeadline().toString());
    payload.put("duration_seconds", e.duration() == null ? null : e.duration().toSeconds());
    return payload;
  }
}
