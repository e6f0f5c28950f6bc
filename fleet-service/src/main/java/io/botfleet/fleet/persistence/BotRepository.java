package io.botfleet.fleet.persistence;

import io.botfleet.fleet.domain.BotStatus;
import io.botfleet.fleet.domain.FleetStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Bots. */
@ApplicationScoped
public class BotRepository implements PanacheRepositoryBase<BotEntity, String> {

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
}
