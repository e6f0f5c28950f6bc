package io.botfleet.health.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Health policies, by group ("" for the fleet). */
@ApplicationScoped
public class HealthPolicyRepository implements PanacheRepositoryBase<HealthPolicyEntity, String> {}
