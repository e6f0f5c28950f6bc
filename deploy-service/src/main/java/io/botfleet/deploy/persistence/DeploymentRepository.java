package io.botfleet.deploy.persistence;

import io.botfleet.deploy.domain.DeploymentState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Deployments. */
@ApplicationScoped
public class DeploymentRepository implements PanacheRepositoryBase<DeploymentEntity, String> {

  /**
   * A page of deployments, newest first, after a keyset position.
   *
   * @param group only this group ("" for all)
   * @param states only these states (empty for all)
   * @param afterCreatedAt the previous page's last creation time, or null for the first page
   * @param afterId the previous page's last id (ties of creation time)
   * @param limit rows to return
   */
  public List<DeploymentEntity> page(
      String group,
      List<DeploymentState> states,
      OffsetDateTime afterCreatedAt,
      String afterId,
      int limit) {
    List<String> where = new ArrayList<>();
    Parameters parameters = new Parameters();
    if (!group.isEmpty()) {
      where.add("group = :group");
      parameters.and("group", group);
    }
    if (!states.isEmpty()) {
      where.add("state in :states");
      parameters.and("states", states);
    }
    if (afterCreatedAt != null) {
      where.add("(createdAt < :after or (createdAt = :after and id < :afterId))");
      parameters.and("after", afterCreatedAt).and("afterId", afterId);
    }
    String query =
        (where.isEmpty() ? "" : String.join(" and ", where)) + " order by createdAt desc, id desc";
    return find(query.trim(), parameters).page(0, limit).list();
  }

  /** States in which a deployment still holds its group. */
  public static final List<DeploymentState> ACTIVE =
      List.of(
          DeploymentState.PENDING,
          DeploymentState.CANARY,
          DeploymentState.ROLLING,
          DeploymentState.PAUSED,
          DeploymentState.ROLLING_BACK);

  /**
   * The deployment, its row locked until the transaction ends: every change of a deployment's state
   * (the engine's and the operators') goes through this lock, so they never interleave.
   */
  public Optional<DeploymentEntity> lock(String id) {
    return Optional.ofNullable(
        getEntityManager().find(DeploymentEntity.class, id, LockModeType.PESSIMISTIC_WRITE));
  }

  /** The deployment created with this idempotency key, if any. */
  public Optional<DeploymentEntity> findByRequestId(String requestId) {
    return find("requestId", requestId).firstResultOptional();
  }

  /**
   * Active deployments that hold one of these groups or any of these bots (the one-active-per-group
   * rule, extended to chosen-bots deployments).
   */
  @SuppressWarnings("unchecked")
  public List<String> conflicting(Collection<String> groups, Collection<String> botIds) {
    return getEntityManager()
        .createNativeQuery(
            "select distinct d.id from deployments d"
                + " where d.state in ('PENDING', 'CANARY', 'ROLLING', 'PAUSED', 'ROLLING_BACK')"
                + " and (d.target_group in (:groups) or exists (select 1 from deployment_bots b"
                + "   where b.deployment_id = d.id"
                + "   and (b.bot_group in (:groups) or b.bot_id in (:bots))))"
                + " order by d.id")
        .setParameter("groups", groups.isEmpty() ? List.of("") : groups)
        .setParameter("bots", botIds.isEmpty() ? List.of("") : botIds)
        .getResultList();
  }

  /** The artifact of the latest completed deployment of {@code version}, if one shipped it. */
  @SuppressWarnings("unchecked")
  public Optional<String> artifactOf(String version) {
    List<String> refs =
        getEntityManager()
            .createNativeQuery(
                "select artifact_ref from deployments where version = :version"
                    + " and state = 'COMPLETE' order by ended_at desc limit 1")
            .setParameter("version", version)
            .getResultList();
    return refs.stream().findFirst();
  }

  /**
   * Takes (or renews) the lease of every deployment that needs driving and that no other replica
   * holds: active ones, and ended ones that still owe a drained bot its resume. Locked rows are
   * skipped, so replicas never wait on each other.
   *
   * @return the ids now leased to {@code owner}
   */
  @SuppressWarnings("unchecked")
  public List<String> claim(String owner, Duration ttl, int limit) {
    return getEntityManager()
        .createNativeQuery(
            "update deployments d set lease_owner = :owner,"
                + " lease_until = now() + cast(:ttl as interval)"
                + " where d.id in (select c.id from deployments c"
                + "   where (c.state in ('PENDING', 'CANARY', 'ROLLING', 'ROLLING_BACK')"
                + "     or (c.state in ('COMPLETE', 'ROLLED_BACK', 'ABORTED', 'FAILED')"
                + "       and exists (select 1 from deployment_bots b where b.deployment_id = c.id"
                + "         and b.paused_by_deployment and b.resume_command_id is null"
                + "         and b.state in ('UPDATED', 'ROLLED_BACK', 'WAITING', 'SKIPPED'))))"
                + "   and (c.lease_owner = :owner or c.lease_until is null or c.lease_until < now())"
                + "   order by c.created_at limit :limit for update skip locked)"
                + " returning d.id")
        .setParameter("owner", owner)
        .setParameter("ttl", ttl.toMillis() + " milliseconds")
        .setParameter("limit", limit)
        .getResultList();
  }

  /**
   * Gives up every lease of {@code owner} (a clean shutdown), so another replica takes over now.
   */
  public int release(String owner) {
    return getEntityManager()
        .createNativeQuery(
            "update deployments set lease_owner = null, lease_until = null"
                + " where lease_owner = :owner")
        .setParameter("owner", owner)
        .executeUpdate();
  }
}
