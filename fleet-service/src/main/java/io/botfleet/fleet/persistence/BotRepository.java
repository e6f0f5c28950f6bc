package io.botfleet.fleet.persistence;

import io.botfleet.fleet.domain.BotFilter;
import io.botfleet.fleet.domain.BotStatus;
import io.botfleet.fleet.domain.FleetStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Bots. */
@ApplicationScoped
public class BotRepository implements PanacheRepositoryBase<BotEntity, String> {

  /** Statuses of bots that have left the fleet. */
  public static final Set<BotStatus> GONE = Set.of(BotStatus.DEREGISTERED, BotStatus.REVOKED);

  /** Bots per group and status, counted in the database. */
  public List<FleetStatus.Count> countByGroupAndStatus() {
    return getEntityManager()
        .createQuery(
            "select b.group, b.status, count(b) from BotEntity b group by b.group, b.status",
            Object[].class)
        .getResultList()
        .stream()
        .map(
            r -> new FleetStatus.Count((String) r[0], (BotStatus) r[1], ((Number) r[2]).intValue()))
        .toList();
  }

  /** The bot still in the fleet with this name, else the one that left last. */
  public Optional<BotEntity> findByName(String name) {
    return find(
            "name = :name order by case when status in :gone then 1 else 0 end,"
                + " registeredAt desc",
            Parameters.with("name", name).and("gone", GONE))
        .firstResultOptional();
  }

  /** The bot still in the fleet with this name. */
  public Optional<BotEntity> findLiveByName(String name) {
    return find(
            "name = :name and status not in :gone", Parameters.with("name", name).and("gone", GONE))
        .firstResultOptional();
  }

  /** A bot, locked for update until the transaction ends. */
  public Optional<BotEntity> findForUpdate(String id) {
    return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
  }

  /** The bot registered with this request id. */
  public Optional<BotEntity> findByRequestId(String requestId) {
    return find("requestId", requestId).firstResultOptional();
  }

  /** Ids among {@code ids} that are not bots in the fleet. */
  public List<String> missing(Collection<String> ids) {
    List<String> found =
        getEntityManager()
            .createQuery(
                "select b.id from BotEntity b where b.id in :ids and b.status not in :gone",
                String.class)
            .setParameter("ids", ids)
            .setParameter("gone", GONE)
            .getResultList();
    List<String> missing = new ArrayList<>(ids);
    missing.removeAll(found);
    return missing;
  }

  /** True if any bot in the fleet belongs to the group. */
  public boolean groupExists(String group) {
    return count(
            "group = :group and status not in :gone",
            Parameters.with("group", group).and("gone", GONE))
        > 0;
  }

  /** A page of bots by name (then id) after the position ({@code afterName}, {@code afterId}). */
  public List<BotEntity> list(BotFilter filter, int limit, String afterName, String afterId) {
    StringBuilder query =
        new StringBuilder("(name > :afterName or (name = :afterName and id > :afterId))");
    Parameters parameters = Parameters.with("afterName", afterName).and("afterId", afterId);
    where(filter, query, parameters);
    query.append(" order by name, id");
    return find(query.toString(), parameters).page(0, limit).list();
  }

  /** How many bots match the filter. */
  public long count(BotFilter filter) {
    StringBuilder query = new StringBuilder("true = true");
    Parameters parameters = new Parameters();
    where(filter, query, parameters);
    return count(query.toString(), parameters);
  }

  private static void where(BotFilter filter, StringBuilder query, Parameters parameters) {
    if (!filter.group().isEmpty()) {
      query.append(" and group = :group");
      parameters.and("group", filter.group());
    }
    if (!filter.exchange().isEmpty()) {
      query.append(" and exchange = :exchange");
      parameters.and("exchange", filter.exchange());
    }
    if (!filter.strategy().isEmpty()) {
      query.append(" and strategy = :strategy");
      parameters.and("strategy", filter.strategy());
    }
    if (!filter.version().isEmpty()) {
      query.append(" and version = :version");
      parameters.and("version", filter.version());
    }
    if (filter.statuses().isEmpty()) {
      query.append(" and status not in :gone");
      parameters.and("gone", GONE);
    } else {
      query.append(" and status in :statuses");
      parameters.and("statuses", filter.statuses());
    }
  }

  /** Connected dormant standbys of a group. */
  public List<BotEntity> standbys(String group) {
    return list("group = ?1 and status = ?2 order by name", group, BotStatus.STANDBY);
  }

  /**
   * Bots that count for the healthy share of the fleet (active, paused, stopped, dead) and how many
   * of them are dead.
   */
  public long[] consideredAndDead() {
    Object[] row =
        getEntityManager()
            .createQuery(
                "select count(b), sum(case when b.status = :dead then 1 else 0 end)"
                    + " from BotEntity b where b.status in :considered",
                Object[].class)
            .setParameter("dead", BotStatus.DEAD)
            .setParameter(
                "considered",
                Set.of(BotStatus.ACTIVE, BotStatus.PAUSED, BotStatus.STOPPED, BotStatus.DEAD))
            .getSingleResult();
    return new long[] {
      ((Number) row[0]).longValue(), row[1] == null ? 0 : ((Number) row[1]).longValue()
    };
  }

  /** DEREGISTERING bots whose grace period is over, locked (other replicas skip them). */
  @SuppressWarnings("unchecked")
  public List<BotEntity> lockDueDeregistrations(int limit) {
    return getEntityManager()
        .createNativeQuery(
            "select * from bots where status = 'DEREGISTERING' and deregister_due_at <= now()"
                + " order by deregister_due_at limit :limit for update skip locked",
            BotEntity.class)
        .setParameter("limit", limit)
        .getResultList();
  }
}
