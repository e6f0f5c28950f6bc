package io.botfleet.permission.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.common.events.EventLog;
import io.botfleet.common.events.PageTokens;
import io.botfleet.permission.domain.Assignment;
import io.botfleet.permission.domain.Escalation;
import io.botfleet.permission.domain.EscalationRequest;
import io.botfleet.permission.domain.EscalationState;
import io.botfleet.permission.domain.TierCatalog;
import io.botfleet.permission.domain.TierDefinition;
import io.botfleet.permission.persistence.AssignmentEntity;
import io.botfleet.permission.persistence.AssignmentRepository;
import io.botfleet.permission.persistence.EscalationEntity;
import io.botfleet.permission.persistence.EscalationRepository;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Two-person escalation: an operator asks for a higher tier for a reason, a different ADMIN
 * approves or denies. An approved escalation may end by itself ({@link EscalationSweeper}).
 */
@ApplicationScoped
public class EscalationService {

  @Inject EscalationRepository escalations;
  @Inject AssignmentRepository assignments;
  @Inject TierService tiers;
  @Inject PermissionChanges changes;
  @Inject EscalationEvents escalationEvents;

  /** A page of escalations and the token of the next one ("" on the last). */
  public record Page(List<Escalation> escalations, String nextPageToken) {}

  /** Records a pending request. */
  @Transactional
  public Escalation request(EscalationRequest request, String actor) {
    TierCatalog catalog = tiers.catalog();
    request.check(catalog);
    AssignmentEntity row =
        assignments
            .findForUpdate(request.agentId())
            .orElseThrow(() -> AssignmentService.notFound(request.agentId()));
    Assignment assignment = row.toDomain();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    TierDefinition target = catalog.get(request.newTier());
    assignment.requireEscalationTo(target, catalog, now.toInstant());
    escalations
        .findOfBot(request.agentId(), EscalationState.PENDING)
        .ifPresent(
            pending -> {
              throw BotfleetException.alreadyExists(
                  "ESCALATION_PENDING",
                  "bot " + request.agentId() + " has a pending escalation: decide that one first",
                  Map.of("escalation_id", pending.id.toString()));
            });
    EscalationEntity escalation = new EscalationEntity();
    escalation.id = UUID.randomUUID();
    escalation.agentId = assignment.agentId();
    escalation.botName = assignment.botName();
    escalation.oldTier = assignment.tierAt(now.toInstant());
    escalation.newTier = target.name();
    escalation.reason = request.reason();
    escalation.requestedBy = actor;
    escalation.requestedAt = now;
    escalation.approvalDeadline = now.plus(request.approvalTimeoutOrDefault());
    escalation.durationSeconds = request.duration() == null ? null : request.duration().toSeconds();
    escalation.state = EscalationState.PENDING;
    try {
      escalations.persistAndFlush(escalation);
    } catch (PersistenceException e) {
      throw BotfleetException.alreadyExists(
          "ESCALATION_PENDING",
          "bot " + request.agentId() + " has a pending escalation: decide that one first",
          Map.of("agent_id", request.agentId()));
    }
    Escalation created = escalation.toDomain();
    escalationEvents.requested(created, actor);
    Log.infof(
        "Escalation %s requested for %s: %s -> %s by %s",
        created.id(), created.agentId(), created.oldTier(), created.newTier(), actor);
    return created;
  }

  /**
   * Approves a pending request: the new tier is in force until its duration ends. PERMISSION_DENIED
   * for the requester; FAILED_PRECONDITION for a request that is no longer pending or has expired.
   *
   * @return the escalation, active, and the bot's assignment
   */
  @Transactional
  public Approved approve(UUID id, String note, String actor) {
    TierCatalog catalog = tiers.catalog();
    requireNote(note, "note");
    // Every writer locks the assignment before its escalations, so no two wait on each other.
    String agentId = escalations.findByIdOptional(id).orElseThrow(() -> notFound(id)).agentId;
    Optional<AssignmentEntity> assigned = assignments.findForUpdate(agentId);
    EscalationEntity escalation = escalations.findForUpdate(id).orElseThrow(() -> notFound(id));
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    escalation.toDomain().requireApprovableBy(actor, now.toInstant());
    AssignmentEntity row =
        assigned.orElseThrow(
            () ->
                BotfleetException.failedPrecondition(
                    "PERMISSIONS_REMOVED",
                    "bot " + agentId + " has no permissions any more",
                    Map.of("agent_id", agentId)));
    Assignment before = row.toDomain();
    TierDefinition target = catalog.get(escalation.newTier);
    before.requireEscalationTo(target, catalog, now.toInstant());
    if (row.escalationId != null) {
      // The previous escalation has run out but the sweeper has not closed it yet.
      end(row, now, EventLog.SYSTEM, "duration ended");
      before = row.toDomain();
    }
    escalation.oldTier = before.tierAt(now.toInstant());
    escalation.state = EscalationState.ACTIVE;
    escalation.decidedBy = actor;
    escalation.decidedAt = now;
    escalation.decisionNote = note.isBlank() ? null : note;
    Instant ends = escalation.toDomain().endWhenApprovedAt(now.toInstant());
    escalation.expiresAt = ends == null ? null : ends.atOffset(ZoneOffset.UTC);
    row.tier = target.name();
    row.escalationId = escalation.id;
    row.escalationEndsAt = escalation.expiresAt;
    assignments.flush();
    Escalation active = escalation.toDomain();
    Assignment after = row.toDomain();
    escalationEvents.escalated(active, after, catalog, now.toInstant(), actor);
    changes.changed(List.of(after.agentId()));
    Log.infof(
        "Escalation %s approved by %s: %s now %s until %s",
        id, actor, after.agentId(), after.tier(), active.expiresAt());
    return new Approved(active, after);
  }

  /**
   * An approved escalation and the assignment it put in force.
   *
   * @param escalation the escalation, active
   * @param assignment the bot's assignment
   */
  public record Approved(Escalation escalation, Assignment assignment) {}

  /** Denies a pending request. */
  @Transactional
  public Escalation deny(UUID id, String reason, String actor) {
    if (reason.isBlank()) {
      throw new InvalidArgumentException("reason", "is required: say why it is denied");
    }
    requireNote(reason, "reason");
    EscalationEntity escalation = escalations.findForUpdate(id).orElseThrow(() -> notFound(id));
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    escalation.toDomain().requireDecidable(now.toInstant());
    escalation.state = EscalationState.DENIED;
    escalation.decidedBy = actor;
    escalation.decidedAt = now;
    escalation.decisionNote = reason;
    escalation.endedAt = now;
    Escalation denied = escalation.toDomain();
    escalationEvents.denied(denied, actor);
    Log.infof("Escalation %s denied by %s", id, actor);
    return denied;
  }

  /** Escalations, newest first, optionally of one state and one bot. */
  @Transactional
  public Page list(EscalationState state, String agentId, int pageSize, String pageToken) {
    int size = PageTokens.pageSize(pageSize, 100, 1000, "page_size");
    EscalationRepository.Position after = position(PageTokens.decode(pageToken, "page_token"));
    List<EscalationEntity> rows = escalations.page(state, agentId, after, size + 1);
    String next = "";
    if (rows.size() > size) {
      rows = rows.subList(0, size);
      EscalationEntity last = rows.get(size - 1);
      next = PageTokens.encode(last.requestedAt.toInstant() + "|" + last.id);
    }
    return new Page(rows.stream().map(EscalationEntity::toDomain).toList(), next);
  }

  /**
   * Ends the row's active escalation: the escalation is closed, the base tier is back in force, the
   * event written and GreenHelix told. The caller records the change.
   */
  void end(AssignmentEntity row, OffsetDateTime now, String actor, String why) {
    String escalated = row.tier;
    String escalationId = String.valueOf(row.escalationId);
    escalations
        .findOfBot(row.agentId, EscalationState.ACTIVE)
        .ifPresent(escalation -> close(escalation, now, why));
    row.endEscalation();
    escalationEvents.ended(
        escalationId, escalated, row.toDomain(), tiers.catalog(), why, actor, now.toInstant());
  }

  /** Closes an escalation that stops being pending or active without a decision. */
  static void close(EscalationEntity escalation, OffsetDateTime now, String why) {
    escalation.state = EscalationState.EXPIRED;
    escalation.endedAt = now;
    escalation.decisionNote =
        escalation.decisionNote == null ? why : escalation.decisionNote + "; " + why;
  }

  private static void requireNote(String note, String field) {
    if (note.length() > 1000) {
      throw new InvalidArgumentException(field, "at most 1000 characters");
    }
  }

  private static EscalationRepository.Position position(String text) {
    if (text.isEmpty()) {
      return null;
    }
    int bar = text.indexOf('|');
    try {
      return new EscalationRepository.Position(
          Instant.parse(text.substring(0, bar)).atOffset(ZoneOffset.UTC),
          UUID.fromString(text.substring(bar + 1)));
    } catch (RuntimeException e) {
      throw new InvalidArgumentException("page_token", "is not a page token returned by this API");
    }
  }

  static BotfleetException notFound(UUID id) {
    return BotfleetException.notFound(
        "ESCALATION_NOT_FOUND", "no escalation " + id, Map.of("escalation_id", id.toString()));
  }
}
