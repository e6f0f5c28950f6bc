package io.botfleet.fleet.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** This replica of fleet-service: its id in leases, connections and notifications. */
@ApplicationScoped
public class Replica {

  private final String id = "fleet-" + UUID.randomUUID().toString().substring(0, 8);

  /** Its id, new at every start. */
  public String id() {
    return id;
  }
}
