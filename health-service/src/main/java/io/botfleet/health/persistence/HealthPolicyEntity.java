package io.botfleet.health.persistence;

import io.botfleet.health.domain.HealthPolicy;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

/** A row of {@code health_policies}. */
@Entity
@Table(name = "health_policies")
public class HealthPolicyEntity {

  @Id
  @Column(name = "bot_group")
  public String group;

  @Column(name = "heartbeat_interval_ms")
  public Long heartbeatIntervalMs;

  @Column(name = "dead_after_ms")
  public Long deadAfterMs;

  @Column(name = "drawdown_warning_pct")
  public Double drawdownWarningPct;

  @Column(name = "drawdown_critical_pct")
  public Double drawdownCriticalPct;

  @Column(name = "latency_warning_ms")
  public Double latencyWarningMs;

  @Column(name = "latency_critical_ms")
  public Double latencyCriticalMs;

  @Column(name = "errors_warning")
  public Long errorsWarning;

  @Column(name = "errors_critical")
  public Long errorsCritical;

  @Column(name = "memory_critical_mb")
  public Double memoryCriticalMb;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;

  @Column(name = "updated_by")
  public String updatedBy;

  /** The domain view. */
  public HealthPolicy toDomain() {
    return new HealthPolicy(
        group,
        Optional.ofNullable(heartbeatIntervalMs).map(Duration::ofMillis),
        Optional.ofNullable(deadAfterMs).map(Duration::ofMillis),
        Optional.ofNullable(drawdownWarningPct),
        Optional.ofNullable(drawdownCriticalPct),
        Optional.ofNullable(latencyWarningMs),
        Optional.ofNullable(latencyCriticalMs),
        Optional.ofNullable(errorsWarning),
        Optional.ofNullable(errorsCritical),
        Optional.ofNullable(memoryCriticalMb));
  }

  /** Copies a policy's fields into this row. */
  public void set(HealthPolicy policy) {
    heartbeatIntervalMs = policy.heartbeatInterval().map(Duration::toMillis).orElse(null);
    deadAfterMs = policy.deadAfter().map(Duration::toMillis).orElse(null);
    drawdownWarningPct = policy.drawdownWarningPct().orElse(null);
    drawdownCriticalPct = policy.drawdownCriticalPct().orElse(null);
    latencyWarningMs = policy.latencyWarningMs().orElse(null);
    latencyCriticalMs = policy.latencyCriticalMs().orElse(null);
    errorsWarning = policy.errorsWarning().orElse(null);
    errorsCritical = policy.errorsCritical().orElse(null);
    memoryCriticalMb = policy.memoryCriticalMb().orElse(null);
  }
}
