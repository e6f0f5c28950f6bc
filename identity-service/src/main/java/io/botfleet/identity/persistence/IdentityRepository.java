package io.botfleet.identity.persistence;

import io.botfleet.identity.domain.IdentityFilter;
import io.botfleet.identity.domain.IdentityStatus;
import io.botfleet.identity.domain.Kind;
import io.botfleet.identity.domain.OperatorRole;
import io.botfleet.identity.domain.RotationState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** Identities. */
@ApplicationScoped
public class IdentityRepository implements PanacheRepositoryBase<IdentityEntity, String> {

  /** The identity registered with an idempotency key. */
  public Optional<IdentityEntity> findByRequestId(String requestId) {
    return find("requestId", requestId).firstResultOptional();
  }

  /** The live (not revoked) identity of a name in an organization. */
  public Optional<IdentityEntity> findLiveByName(String organization, String name) {
    return find(
            "organization = ?1 and name = ?2 and status <> ?3",
            organization,
            name,
            IdentityStatus.REVOKED)
        .firstResultOptional();
  }

  /**
   * The identity, its row locked until the transaction ends. Every change to an identity, its keys,
   * tokens or rotations takes this lock first, so they serialize per identity and never deadlock.
   */
  public Optional<IdentityEntity> lock(String agentId) {
    return findByIdOptional(agentId, LockModeType.PESSIMISTIC_WRITE);
  }

  /** Like {@link #lock} but gives up at once if another transaction holds the row. */
  public Optional<IdentityEntity> tryLock(String agentId) {
    boolean locked =
        !getEntityManager()
            .createNativeQuery("select id from identities where id = :id for update skip locked")
            .setParameter("id", agentId)
            .getResultList()
            .isEmpty();
    return locked ? findByIdOptional(agentId) : Optional.empty();
  }

  /** Sets the id GreenHelix gave an identity, touching no other column. */
  public void setGreenhelixAgentId(String agentId, String greenhelixAgentId) {
    update("greenhelixAgentId = ?1 where id = ?2", greenhelixAgentId, agentId);
  }

  /** True if an ADMIN operator that is not revoked exists (pending or active). */
  public boolean liveAdminExists() {
    return count(
            "kind = ?1 and operatorRole = ?2 and status <> ?3",
            Kind.OPERATOR,
            OperatorRole.ADMIN,
            IdentityStatus.REVOKED)
        > 0;
  }

  /**
   * Up to {@code limit} identities matching {@code filter}, ordered by name then id, after the
   * position ({@code afterName}, {@code afterId}) when given.
   */
  public List<IdentityEntity> page(
      IdentityFilter filter, String afterName, String afterId, int limit) {
    StringBuilder where = new StringBuilder("from IdentityEntity i where 1 = 1");
    Parameters params = new Parameters();
    if (filter.kind() != null) {
      where.append(" and i.kind = :kind");
      params.and("kind", filter.kind());
    }
    if (filter.group() != null) {
      where.append(" and i.group = :group");
      params.and("group", filter.group());
    }
    if (filter.exchange() != null) {
      where.append(" and i.exchange = :exchange");
      params.and("exchange", filter.exchange());
    }
    if (filter.status() != null) {
      where.append(" and i.status = :status");
      params.and("status", filter.status());
    }
    if (filter.organization() != null) {
      where.append(" and i.organization = :organization");
      params.and("organization", filter.organization());
    }
    if (filter.rotationDueBefore() != null) {
      where.append(
          " and i.status = :active and i.nextRotationAt <= :due and not exists"
              + " (select 1 from KeyRotationEntity r where r.agentId = i.id"
              + " and r.state in :inProgress)");
      params
          .and("active", IdentityStatus.ACTIVE)
          .and("due", filter.rotationDueBefore().atOffset(ZoneOffset.UTC))
          .and(
              "inProgress",
              List.of(RotationState.AWAITING_KEY, RotationState.AWAITING_CONFIRMATION));
    }
    if (afterName != null) {
      where.append(" and (i.name > :afterName or (i.name = :afterName and i.id > :afterId))");
      params.and("afterName", afterName).and("afterId", afterId);
    }
    where.append(" order by i.name, i.id");
    return find(where.toString(), params).page(0, limit).list();
  }
}
