package io.botfleet.deploy.service;

import io.botfleet.deploy.domain.BotDeploymentState;
import io.botfleet.deploy.domain.RolloutPlan;
import io.botfleet.deploy.persistence.DeploymentBotEntity;
import io.botfleet.deploy.persistence.DeploymentEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Predicate;

/**
 * update_version itself: the decision to update bots together (stored first, under one idempotency
 * key), its sending (its command id stored after), and reading back whether each bot acknowledged
 * it and then heartbeated the new version, which is when it counts as updated.
 */
@ApplicationScoped
public class UpdateCommands {

  @Inject CommandLegs legs;
  @Inject DeploymentJournal journal;
  @Inject Clock clock;

  /** Records the decision to update these bots together (sent by {@link #send}). */
  void markUpdating(DeploymentEntity d, int batch, List<DeploymentBotEntity> bots, String what) {
    String key = CommandPayloads.updateKey(d, batch, bots.stream().map(b -> b.botId).toList());
    for (DeploymentBotEntity b : bots) {
      b.state = BotDeploymentState.UPDATING;
      b.updateRequestId = key;
      b.updatedAt = now();
    }
    journal.progress(d, what + ": update_version to " + BotUpdates.names(bots));
  }

  /** Sends update_version for every decision whose command id is not recorded yet. */
  void send(
      String id,
      RolloutPlan plan,
      int stepIndex,
      int batch,
      String owner,
      Predicate<DeploymentEntity> still) {
    legs.send(
        CommandLeg.UPDATE,
        id,
        owner,
        still,
        (d, bots) -> CommandPayloads.update(d, plan, stepIndex, batch));
  }

  /** Reads acknowledgements and heartbeats; a bot is updated once it acked and then reported. */
  void confirm(DeploymentEntity d, String owner, Predicate<DeploymentEntity> still) {
    legs.confirm(CommandLeg.UPDATE, d.id, owner, still);
  }

  private OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC);
  }
}
