package io.botfleet.permission.service;

import io.botfleet.permission.domain.TierCatalog;
import io.botfleet.permission.persistence.TierQueries;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The tier catalog, read from its tables once: tiers and mappings change only with a migration,
 * which comes with a restart. Checks read it on the hot path without a database round trip.
 */
@ApplicationScoped
public class TierService {

  @Inject TierQueries queries;

  private volatile TierCatalog catalog;

  /** Every tier, lowest first, with its cumulative permissions and exchange mappings. */
  public TierCatalog catalog() {
    TierCatalog loaded = catalog;
    if (loaded == null) {
      synchronized (this) {
        if (catalog == null) {
          catalog =
              QuarkusTransaction.requiringNew()
                  .call(
                      () ->
                          TierCatalog.of(
                              queries.ranks(),
                              queries.addedPermissions(),
                              queries.exchangeMappings()));
        }
        loaded = catalog;
      }
    }
    return loaded;
  }
}
