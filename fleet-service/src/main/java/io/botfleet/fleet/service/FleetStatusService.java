package io.botfleet.fleet.service;

import io.botfleet.fleet.domain.FleetStatus;
import io.botfleet.fleet.persistence.BotRepository;
import io.botfleet.fleet.persistence.FleetEntity;
import io.botfleet.fleet.persistence.FleetRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;

/** The fleet's status. */
@ApplicationScoped
public class FleetStatusService {

  @Inject BotRepository bots;
  @Inject FleetRepository fleets;

  /** The status now. */
  @Transactional
  public FleetStatus status() {
    String manager = fleets.findFleet().map((FleetEntity f) -> f.fleetManagerName).orElse("");
    return FleetStatus.of(manager, bots.countByGroupAndStatus(), Instant.now());
  }
}
