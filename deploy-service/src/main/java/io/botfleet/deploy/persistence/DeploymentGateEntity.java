package io.botfleet.deploy.persistence;

import io.botfleet.deploy.domain.AnalysisResult;
import io.botfleet.deploy.domain.GateResult;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code deployment_gates}: the outcome of one analysis. */
@Entity
@Table(name = "deployment_gates")
@IdClass(DeploymentGateEntity.Key.class)
public class DeploymentGateEntity {

  /** The primary key. */
  public static class Key implements Serializable {
    public String deploymentId;
    public int step;
    public OffsetDateTime decidedAt;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && step == k.step
          && Objects.equals(deploymentId, k.deploymentId)
          && Objects.equals(decidedAt, k.decidedAt);
    }

    @Override
    public int hashCode() {
      return Objects.hash(deploymentId, step, decidedAt);
    }
  }

  @Id
  @Column(name = "deployment_id")
  public String deploymentId;

  @Id public int step;

  @Id
  @Column(name = "decided_at")
  public OffsetDateTime decidedAt;

  @Enumerated(EnumType.STRING)
  public AnalysisResult result;

  @JdbcTypeCode(SqlTypes.ARRAY)
  public String[] reasons;

  /** The domain view. */
  public GateResult toDomain() {
    return new GateResult(step, result, List.of(reasons), decidedAt.toInstant());
  }
}
