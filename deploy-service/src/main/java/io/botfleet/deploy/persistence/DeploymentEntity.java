package io.botfleet.deploy.persistence;

import io.botfleet.deploy.domain.DeploymentState;
import io.botfleet.deploy.domain.DeploymentSummary;
import io.botfleet.deploy.domain.PauseCause;
import io.botfleet.deploy.domain.RolloutParameters;
import io.botfleet.deploy.domain.RolloutPlan;
import io.botfleet.deploy.domain.Strategy;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code deployments}. */
@Entity
@Table(name = "deployments")
public class DeploymentEntity {

  @Id public String id;

  public String version;

  @Column(name = "artifact_ref")
  public String artifactRef;

  @Column(name = "target_group")
  public String group;

  @JdbcTypeCode(SqlTypes.JSON)
  public String selector;

  @Enumerated(EnumType.STRING)
  public Strategy strategy;

  @JdbcTypeCode(SqlTypes.JSON)
  public String parameters;

  @JdbcTypeCode(SqlTypes.JSON)
  public String steps;

  @Column(name = "current_step")
  public int currentStep;

  @Enumerated(EnumType.STRING)
  public DeploymentState state;

  @Enumerated(EnumType.STRING)
  @Column(name = "paused_from")
  public DeploymentState pausedFrom;

  @Column(name = "canary_bot_id")
  public String canaryBotId;

  @Column(name = "canary_bot_name")
  public String canaryBotName;

  @Column(name = "requested_by")
  public String requestedBy;

  public String reason;

  @Column(name = "request_id")
  public String requestId;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  @Column(name = "started_at")
  public OffsetDateTime startedAt;

  @Column(name = "ended_at")
  public OffsetDateTime endedAt;

  @Column(name = "retain_previous_until")
  public OffsetDateTime retainPreviousUntil;

  @Column(name = "step_started_at")
  public OffsetDateTime stepStartedAt;

  @Column(name = "lease_owner")
  public String leaseOwner;

  @Column(name = "lease_until")
  public OffsetDateTime leaseUntil;

  @Enumerated(EnumType.STRING)
  @Column(name = "pause_cause")
  public PauseCause pauseCause;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;

  /** The column's default (now) for rows created without one. */
  @PrePersist
  void defaultUpdatedAt() {
    if (updatedAt == null) {
      updatedAt = OffsetDateTime.now(java.time.ZoneOffset.UTC);
    }
  }

  /** The listed view. */
  public DeploymentSummary toSummary() {
    return new DeploymentSummary(
        id,
        version,
        artifactRef,
        PlanJson.readSelector(selector),
        group,
        strategy,
        PlanJson.readParameters(parameters),
        PlanJson.readPlan(steps),
        state,
        pausedFrom,
        currentStep,
        canaryBotId,
        canaryBotName,
        requestedBy,
        reason,
        createdAt.toInstant(),
        startedAt == null ? null : startedAt.toInstant(),
        endedAt == null ? null : endedAt.toInstant(),
        retainPreviousUntil == null ? null : retainPreviousUntil.toInstant());
  }

  /** The plan. */
  public RolloutPlan plan() {
    return PlanJson.readPlan(steps);
  }

  /** The parameters, defaults resolved. */
  public RolloutParameters rolloutParameters() {
    return PlanJson.readParameters(parameters);
  }
}
