package io.botfleet.permission.persistence;

import io.botfleet.permission.domain.EscalationState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Escalations. */
@ApplicationScoped
public class EscalationRepository implements PanacheRepositoryBase<EscalationEntity, UUID> {

  private static final long SWEEP_LOCK = 0x7065726d5f737770L;

  /** An escalation, locked for update until the transaction ends. */
  public Optional<EscalationEntity> findForUpdate(UUID id) {
    return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
  }

  /** The bot's escalation in a state (at most one is pending and one active), locked. */
  public Optional<EscalationEntity> findOfBot(String agentId, EscalationState state) {
    return find("agentId = ?1 and state = ?2", agentId, state)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResultOptional();
  }

  /** Pending escalations whose approval deadline has passed, locked. */
  public List<EscalationEntity> pendingPastDeadline(OffsetDateTime now, int limit) {
    return find("state = ?1 and approvalDeadline <= ?2", EscalationState.PENDING, now)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .page(0, limit)
        .list();
  }

  /** Active escalations whose duration has ended (not locked: lock the assignment first). */
  public List<EscalationEntity> activePastEnd(OffsetDateTime now, int limit) {
    return find("state = ?1 and expiresAt <= ?2", EscalationState.ACTIVE, now)
        .page(0, limit)
        .list();
  }

  /**
   * A page of escalations, newest first.
   *
   * @param state only this state, or null
   * @param agentId only this bot, or ""
   * @param after the (requested_at, id) of the previous page's last row, or null
   * @param limit rows to return
   */
  public List<EscalationEntity> page(
      EscalationState state, String agentId, Position after, int limit) {
    StringBuilder query = new StringBuilder("1 = 1");
    Parameters parameters = new Parameters();
    if (state != null) {
      query.append(" and state = :state");
      parameters.and("state", state);
    }
    if (!agentId.isEmpty()) {
      query.append(" and agentId = :agent");
      parameters.and("agent", agentId);
    }
    if (after != null) {
      query.append(" and (requestedAt < :at or (requestedAt = :at and id < :id))");
      parameters.and("at", after.requestedAt()).and("id", after.id());
    }
    query.append(" order by requestedAt desc, id desc");
    return find(query.toString(), parameters).page(0, limit).list();
  }

  /**
   * Takes the sweep's advisory lock for the current transaction, if no other replica holds it.
   *
   * @return true if this replica sweeps now
   */
  public boolean tryLockSweep() {
    Object locked =
        getEntityManager()
            .createNativeQuery("select pg_try_advisory_xact_lock(:lock)")
            .setParameter("lock", SWEEP_LOCK)
            .getSingleResult();
    return Boolean.TRUE.equals(locked);
  }

  /** Forgets AssignPermissions request ids older than {@code before}. */
  public int purgeRequestIdsBefore(OffsetDateTime before) {
    return getEntityManager()
        .createNativeQuery("delete from assignment_requests where created_at < :before")
        .setParameter("before", before)
        .executeUpdate();
  }

  /** A keyset position in the newest-first order. */
  public record Position(OffsetDateTime requestedAt, UUID id) {}
}
