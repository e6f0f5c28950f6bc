package io.botfleet.fleet.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** The row of {@code fleets}: this installation's fleet and its manager. */
@Entity
@Table(name = "fleets")
public class FleetEntity {

  @Id public String organization;

  @Column(name = "fleet_manager_id")
  public String fleetManagerId;

  @Column(name = "fleet_manager_name")
  public String fleetManagerName;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  /** Always true: the table holds at most one fleet. */
  public boolean singleton = true;
}
