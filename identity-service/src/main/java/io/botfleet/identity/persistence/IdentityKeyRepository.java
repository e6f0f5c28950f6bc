package io.botfleet.identity.persistence;

import io.botfleet.identity.domain.KeyStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Key versions. */
@ApplicationScoped
public class IdentityKeyRepository
    implements PanacheRepositoryBase<IdentityKeyEntity, IdentityKeyEntity.Key> {

  /** Every version of an identity, oldest first. */
  public List<IdentityKeyEntity> listFor(String agentId) {
    return list("agentId = ?1 order by keyVersion", agentId);
  }

  /** Every version of several identities. */
  public List<IdentityKeyEntity> listFor(Collection<String> agentIds) {
    return agentIds.isEmpty() ? List.of() : list("agentId in ?1", agentIds);
  }

  /** One version of an identity. */
  public Optional<IdentityKeyEntity> find(String agentId, int keyVersion) {
    return findByIdOptional(new IdentityKeyEntity.Key(agentId, keyVersion));
  }

  /** The identity that has (or had) this public key, if any. */
  public Optional<String> ownerOf(byte[] publicKey) {
    return getEntityManager()
        .createNativeQuery(
            "select agent_id from identity_keys where public_key = :key limit 1", String.class)
        .setParameter("key", publicKey)
        .getResultStream()
        .findFirst()
        .map(String.class::cast);
  }

  /** Adds a key version. */
  public IdentityKeyEntity add(
      String agentId, int keyVersion, byte[] publicKey, KeyStatus status, OffsetDateTime now) {
    IdentityKeyEntity key = new IdentityKeyEntity();
    key.agentId = agentId;
    key.keyVersion = keyVersion;
    key.publicKey = publicKey;
    key.status = status;
    key.createdAt = now;
    persist(key);
    return key;
  }
}
