package io.botfleet.identity.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Key versions. */
@ApplicationScoped
public class IdentityKeyRepository
    implements PanacheRepositoryBase<IdentityKeyEntity, IdentityKeyEntity.Key> {

  /** Every version of an identity, oldest first. */
  public List<IdentityKeyEntity> listFor(String agentId) {
    return list("agentId = ?1 order by keyVersion", agentId);
  }
}
