package io.botfleet.deploy.persistence;

import io.botfleet.deploy.domain.BotDeploymentState;
import io.botfleet.deploy.domain.DeliveryState;
import io.botfleet.deploy.domain.DeploymentBot;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.PrePersist;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * A row of {@code deployment_bots}: one selected bot, with everything needed to resume its part of
 * the rollout after a restart (intents, command ids, acknowledgements).
 */
@Entity
@Table(name = "deployment_bots")
@IdClass(DeploymentBotEntity.Key.class)
public class DeploymentBotEntity {

  /** The primary key. */
  public static class Key implements Serializable {
    public String deploymentId;
    public String botId;

    public Key() {}

    public Key(String deploymentId, String botId) {
      this.deploymentId = deploymentId;
      this.botId = botId;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(deploymentId, k.deploymentId)
          && Objects.equals(botId, k.botId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(deploymentId, botId);
    }
  }

  @Id
  @Column(name = "deployment_id")
  public String deploymentId;

  @Id
  @Column(name = "bot_id")
  public String botId;

  @Column(name = "bot_name")
  public String botName;

  @Column(name = "bot_group")
  public String botGroup;

  public int position;

  @Column(name = "previous_version")
  public String previousVersion;

  @Column(name = "previous_artifact_ref")
  public String previousArtifactRef;

  @Enumerated(EnumType.STRING)
  public BotDeploymentState state;

  public int batch;

  /** The last command sent to the bot (shown to operators). */
  @Column(name = "command_id")
  public String commandId;

  public String message;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;

  @Column(name = "paused_by_deployment")
  public boolean pausedByDeployment;

  @Column(name = "drain_command_id")
  public String drainCommandId;

  @Column(name = "drain_started_at")
  public OffsetDateTime drainStartedAt;

  @Column(name = "resume_command_id")
  public String resumeCommandId;

  @Column(name = "update_request_id")
  public String updateRequestId;

  @Column(name = "update_command_id")
  public String updateCommandId;

  @Enumerated(EnumType.STRING)
  @Column(name = "update_delivery")
  public DeliveryState updateDelivery;

  @Column(name = "acked_at")
  public OffsetDateTime ackedAt;

  @Column(name = "confirmed_at")
  public OffsetDateTime confirmedAt;

  @Column(name = "rollback_request_id")
  public String rollbackRequestId;

  @Column(name = "rollback_command_id")
  public String rollbackCommandId;

  @Enumerated(EnumType.STRING)
  @Column(name = "rollback_delivery")
  public DeliveryState rollbackDelivery;

  @Column(name = "rollback_acked_at")
  public OffsetDateTime rollbackAckedAt;

  /** The column's default (now) for rows created without one. */
  @PrePersist
  void defaultUpdatedAt() {
    if (updatedAt == null) {
      updatedAt = OffsetDateTime.now(java.time.ZoneOffset.UTC);
    }
  }

  /** The view operators see. */
  public DeploymentBot toDomain() {
    return new DeploymentBot(
        botId,
        botName,
        previousVersion,
        state,
        batch,
        commandId,
        message,
        updatedAt == null ? null : updatedAt.toInstant());
  }

  /**
   * True if update_version may have reached the bot: it was decided (and perhaps sent before a
   * crash lost its command id), and the bot did not certainly refuse or miss it.
   */
  public boolean mayRunNewVersion() {
    return updateRequestId != null
        && (updateDelivery == null || !updateDelivery.certainlyNotApplied());
  }

  /**
   * True if the deployment still owes the bot a resume: it paused the bot to drain it, and the bot
   * is no longer in the middle of an update or a rollback (a bot left in an unknown state stays
   * paused for a human).
   */
  public boolean owedResume() {
    return pausedByDeployment
        && resumeCommandId == null
        && (state == BotDeploymentState.UPDATED
            || state == BotDeploymentState.ROLLED_BACK
            || state == BotDeploymentState.WAITING
            || state == BotDeploymentState.SKIPPED);
  }
}
