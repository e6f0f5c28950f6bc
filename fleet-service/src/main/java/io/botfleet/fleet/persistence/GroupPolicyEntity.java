package io.botfleet.fleet.persistence;

import io.botfleet.fleet.domain.FailoverMode;
import io.botfleet.fleet.domain.GroupPolicy;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A row of {@code group_policies}. */
@Entity
@Table(name = "group_policies")
public class GroupPolicyEntity {

  @Id
  @Column(name = "bot_group")
  public String group;

  @Enumerated(EnumType.STRING)
  @Column(name = "failover_mode")
  public FailoverMode failoverMode;

  public boolean stateful;

  @Column(name = "min_healthy_share")
  public double minHealthyShare;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;

  @Column(name = "updated_by")
  public String updatedBy;

  /** The policy. */
  public GroupPolicy toDomain() {
    return new GroupPolicy(
        group, failoverMode, stateful, minHealthyShare, updatedAt.toInstant(), updatedBy);
  }
}
