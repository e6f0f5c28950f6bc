package io.botfleet.fleet.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** The fleet of this installation. */
@ApplicationScoped
public class FleetRepository implements PanacheRepositoryBase<FleetEntity, String> {

  /** The fleet, once InitFleet made it. */
  public Optional<FleetEntity> findFleet() {
    return findAll().firstResultOptional();
  }
}
