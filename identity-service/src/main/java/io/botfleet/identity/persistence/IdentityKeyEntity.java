package io.botfleet.identity.persistence;

import io.botfleet.identity.domain.KeyStatus;
import io.botfleet.identity.domain.KeyVersion;
import io.botfleet.signing.VerifyingKey;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/** A row of {@code identity_keys}: one version of an identity's public key. */
@Entity
@Table(name = "identity_keys")
@IdClass(IdentityKeyEntity.Key.class)
public class IdentityKeyEntity {

  @Id
  @Column(name = "agent_id")
  public String agentId;

  @Id
  @Column(name = "key_version")
  public int keyVersion;

  @Column(name = "public_key")
  public byte[] publicKey;

  @Enumerated(EnumType.STRING)
  public KeyStatus status;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  @Column(name = "retired_at")
  public OffsetDateTime retiredAt;

  /** The domain view. */
  public KeyVersion toDomain() {
    return new KeyVersion(
        agentId,
        keyVersion,
        VerifyingKey.fromRaw(publicKey),
        status,
        createdAt.toInstant(),
        retiredAt == null ? null : retiredAt.toInstant());
  }

  /** The composite primary key. */
  public static class Key implements Serializable {
    public String agentId;
    public int keyVersion;

    public Key() {}

    public Key(String agentId, int keyVersion) {
      this.agentId = agentId;
      this.keyVersion = keyVersion;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key that
          && agentId.equals(that.agentId)
          && keyVersion == that.keyVersion;
    }

    @Override
    public int hashCode() {
      return Objects.hash(agentId, keyVersion);
    }
  }
}
