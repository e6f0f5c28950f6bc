package io.botfleet.permission.service;

import io.botfleet.permission.domain.TierCatalog;
import io.botfleet.permission.domain.TierDefinition;
import io.botfleet.permission.persistence.TierQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;

/** The tier catalog, read from its tables. */
@ApplicationScoped
public class TierService {

  @Inject TierQueries queries;

  /** Every tier, lowest first, with its cumulative permissions and exchange mappings. */
  @Transactional
  public List<TierDefinition> tiers() {
    return TierCatalog.build(
        queries.ranks(), queries.addedPermissions(), queries.exchangeMappings());
  }
}
