package io.botfleet.identity.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A row of {@code enrollment_tokens}: the hash of a one-time token, never the token. */
@Entity
@Table(name = "enrollment_tokens")
public class EnrollmentTokenEntity {

  /** Lower-case hex SHA-256 of the token. */
  @Id
  @Column(name = "token_hash")
  public String tokenHash;

  @Column(name = "agent_id")
  public String agentId;

  public String name;

  @Column(name = "bot_group")
  public String group;

  @Column(name = "created_by")
  public String createdBy;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  @Column(name = "expires_at")
  public OffsetDateTime expiresAt;

  @Column(name = "used_at")
  public OffsetDateTime usedAt;
}
