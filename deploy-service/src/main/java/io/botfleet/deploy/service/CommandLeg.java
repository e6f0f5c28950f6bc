package io.botfleet.deploy.service;

import io.botfleet.deploy.config.DeployConfig;
import io.botfleet.deploy.domain.BotDeploymentState;
import io.botfleet.deploy.domain.DeliveryState;
import io.botfleet.deploy.persistence.DeploymentBotEntity;
import io.botfleet.deploy.persistence.DeploymentEntity;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The two commands that change the version a bot runs, update_version and rollback_version, as
 * {@link CommandLegs} sends and confirms them: each has its own in-flight and done states, its own
 * columns on the bot's row (so a rollback never overwrites what is known of the update it undoes),
 * its own time to live, and its own journal wording.
 */
enum CommandLeg {
  UPDATE(CommandPayloads.UPDATE_VERSION, BotDeploymentState.UPDATING) {
    @Override
    String requestId(DeploymentBotEntity b) {
      return b.updateRequestId;
    }

    @Override
    String commandId(DeploymentBotEntity b) {
      return b.updateCommandId;
    }

    @Override
    void commandId(DeploymentBotEntity b, String commandId) {
      b.updateCommandId = commandId;
    }

    @Override
    DeliveryState delivery(DeploymentBotEntity b) {
      return b.updateDelivery;
    }

    @Override
    void delivery(DeploymentBotEntity b, DeliveryState state) {
      b.updateDelivery = state;
    }

    @Override
    OffsetDateTime ackedAt(DeploymentBotEntity b) {
      return b.ackedAt;
    }

    @Override
    void ackedAt(DeploymentBotEntity b, OffsetDateTime at) {
      b.ackedAt = at;
    }

    @Override
    Duration ttl(DeployConfig config) {
      return config.updateCommandTtl();
    }

    @Override
    String version(DeploymentEntity d, DeploymentBotEntity b) {
      return d.version;
    }

    @Override
    String sent(String commandId, List<DeploymentBotEntity> bots) {
      return "sent update_version " + commandId + " to " + BotUpdates.names(bots);
    }

    @Override
    String done(DeploymentEntity d, DeploymentBotEntity b, OffsetDateTime now) {
      b.state = BotDeploymentState.UPDATED;
      b.confirmedAt = now;
      return b.botName + " runs " + d.version;
    }
  },

  ROLLBACK(CommandPayloads.ROLLBACK_VERSION, BotDeploymentState.ROLLING_BACK) {
    @Override
    String requestId(DeploymentBotEntity b) {
      return b.rollbackRequestId;
    }

    @Override
    String commandId(DeploymentBotEntity b) {
      return b.rollbackCommandId;
    }

    @Override
    void commandId(DeploymentBotEntity b, String commandId) {
      b.rollbackCommandId = commandId;
    }

    @Override
    DeliveryState delivery(DeploymentBotEntity b) {
      return b.rollbackDelivery;
    }

    @Override
    void delivery(DeploymentBotEntity b, DeliveryState state) {
      b.rollbackDelivery = state;
    }

    @Override
    OffsetDateTime ackedAt(DeploymentBotEntity b) {
      return b.rollbackAckedAt;
    }

    @Override
    void ackedAt(DeploymentBotEntity b, OffsetDateTime at) {
      b.rollbackAckedAt = at;
    }

    @Override
    Duration ttl(DeployConfig config) {
      return config.rollbackCommandTtl();
    }

    @Override
    String version(DeploymentEntity d, DeploymentBotEntity b) {
      return b.previousVersion;
    }

    @Override
    String sent(String commandId, List<DeploymentBotEntity> bots) {
      // The bots of one rollback command share their previous version (one command per version).
      return "sent rollback_version "
          + commandId
          + " (back to "
          + bots.get(0).previousVersion
          + ") to "
          + BotUpdates.names(bots);
    }

    @Override
    String done(DeploymentEntity d, DeploymentBotEntity b, OffsetDateTime now) {
      b.state = BotDeploymentState.ROLLED_BACK;
      b.message = null;
      return b.botName + " is back on " + b.previousVersion;
    }
  };

  /** The command type fleet-service delivers (update_version, rollback_version). */
  final String type;

  /** The state of a bot decided for this command and not yet confirmed. */
  final BotDeploymentState inFlight;

  CommandLeg(String type, BotDeploymentState inFlight) {
    this.type = type;
    this.inFlight = inFlight;
  }

  /** The idempotency key the bot's command is sent under (stored with the decision). */
  abstract String requestId(DeploymentBotEntity b);

  /** The id fleet-service gave the command, or null while it may not have been sent. */
  abstract String commandId(DeploymentBotEntity b);

  abstract void commandId(DeploymentBotEntity b, String commandId);

  /** The delivery state last read from fleet-service, or null. */
  abstract DeliveryState delivery(DeploymentBotEntity b);

  abstract void delivery(DeploymentBotEntity b, DeliveryState state);

  /** When the bot acknowledged the command, or null. */
  abstract OffsetDateTime ackedAt(DeploymentBotEntity b);

  abstract void ackedAt(DeploymentBotEntity b, OffsetDateTime at);

  /** How long fleet-service keeps the command for a disconnected bot. */
  abstract Duration ttl(DeployConfig config);

  /** The version the bot must heartbeat, after its acknowledgement, to count as done. */
  abstract String version(DeploymentEntity d, DeploymentBotEntity b);

  /** The journal line for a command sent to these bots. */
  abstract String sent(String commandId, List<DeploymentBotEntity> bots);

  /** Moves the bot to the leg's done state (at {@code now}); returns the journal line. */
  abstract String done(DeploymentEntity d, DeploymentBotEntity b, OffsetDateTime now);
}
