package io.botfleet.deploy.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.deploy.client.FleetClient;
import io.botfleet.deploy.client.HealthClient;
import io.botfleet.deploy.config.DeployConfig;
import io.botfleet.deploy.domain.BotDeploymentState;
import io.botfleet.deploy.domain.BotHealth;
import io.botfleet.deploy.domain.Delivery;
import io.botfleet.deploy.domain.RolloutPlan;
import io.botfleet.deploy.persistence.DeploymentBotEntity;
import io.botfleet.deploy.persistence.DeploymentEntity;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * update_version itself: the decision to update bots together (stored first, under one idempotency
 * key), its sending (its command id stored after), and reading back whether each bot acknowledged
 * it and then heartbeated the new version, which is when it counts as updated.
 */
@ApplicationScoped
public class UpdateCommands {

  @Inject DeploymentLocks locks;
  @Inject FleetClient fleet;
  @Inject HealthClient health;
  @Inject DeploymentJournal journal;
  @Inject DeployConfig config;
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
    locks.change(
        id,
        owner,
        still,
        d -> {
          Map<String, List<DeploymentBotEntity>> unsent = new LinkedHashMap<>();
          for (DeploymentBotEntity b : locks.bots(id)) {
            if (b.state == BotDeploymentState.UPDATING && b.updateCommandId == null) {
              unsent.computeIfAbsent(b.updateRequestId, k -> new ArrayList<>()).add(b);
            }
          }
          unsent.forEach(
              (key, bots) -> {
                String commandId;
                try {
                  commandId =
                      fleet.sendCommand(
                          bots.stream().map(b -> b.botId).toList(),
                          CommandPayloads.UPDATE_VERSION,
                          CommandPayloads.update(d, plan, stepIndex, batch),
                          config.updateCommandTtl(),
                          key);
                } catch (BotfleetException e) {
                  if (!BotUpdates.refused(e)) {
                    throw e;
                  }
                  // fleet-service refused the command itself: it reached no bot.
                  for (DeploymentBotEntity b : bots) {
                    b.state = BotDeploymentState.FAILED;
                    b.updateDelivery = io.botfleet.deploy.domain.DeliveryState.REJECTED;
                    b.message = "fleet-service refused update_version: " + e.getMessage();
                    b.updatedAt = now();
                  }
                  journal.progress(
                      d, "fleet-service refused update_version to " + BotUpdates.names(bots));
                  return;
                }
                for (DeploymentBotEntity b : bots) {
                  b.updateCommandId = commandId;
                  b.commandId = commandId;
                  b.updatedAt = now();
                }
                journal.progress(
                    d, "sent update_version " + commandId + " to " + BotUpdates.names(bots));
              });
        });
  }

  /** Reads acknowledgements and heartbeats; a bot is updated once it acked and then reported. */
  void confirm(DeploymentEntity d, String owner, Predicate<DeploymentEntity> still) {
    List<DeploymentBotEntity> pending =
        locks.snapshot(d.id).orElseThrow().bots().stream()
            .filter(b -> b.state == BotDeploymentState.UPDATING && b.updateCommandId != null)
            .toList();
    if (pending.isEmpty()) {
      return;
    }
    Map<String, Delivery> deliveries = new HashMap<>();
    for (String commandId : pending.stream().map(b -> b.updateCommandId).distinct().toList()) {
      fleet.deliveries(commandId).forEach(x -> deliveries.put(commandId + "/" + x.botId(), x));
    }
    Map<String, BotHealth> healths = new HashMap<>();
    for (DeploymentBotEntity b : pending) {
      Delivery delivery = deliveries.get(b.updateCommandId + "/" + b.botId);
      if (b.ackedAt != null || (delivery != null && delivery.state().acknowledged())) {
        try {
          healths.put(b.botId, health.botHealth(b.botId));
        } catch (BotfleetException e) {
          Log.debugf("No health for %s yet: %s", b.botName, e.getMessage());
        }
      }
    }
    locks.change(
        d.id,
        owner,
        still,
        locked -> {
          for (DeploymentBotEntity b : locks.bots(locked.id)) {
            if (b.state != BotDeploymentState.UPDATING || b.updateCommandId == null) {
              continue;
            }
            Delivery delivery = deliveries.get(b.updateCommandId + "/" + b.botId);
            if (delivery != null && delivery.state() != b.updateDelivery) {
              b.updateDelivery = delivery.state();
            }
            if (delivery != null && delivery.state().unsuccessful()) {
              b.state = BotDeploymentState.FAILED;
              b.message =
                  "update_version "
                      + delivery.state().name().toLowerCase(Locale.ROOT)
                      + (delivery.message().isEmpty() ? "" : ": " + delivery.message());
              b.updatedAt = now();
              journal.progress(locked, b.botName + " " + b.message);
              continue;
            }
            if (b.ackedAt == null && delivery != null && delivery.state().acknowledged()) {
              Instant acked =
                  delivery.updateTime() != null ? delivery.updateTime() : clock.instant();
              b.ackedAt = acked.atOffset(ZoneOffset.UTC);
              b.updatedAt = now();
            }
            BotHealth h = healths.get(b.botId);
            if (b.ackedAt != null
                && h != null
                && h.reports(locked.version, b.ackedAt.toInstant())) {
              b.state = BotDeploymentState.UPDATED;
              b.confirmedAt = now();
              b.updatedAt = b.confirmedAt;
              journal.progress(locked, b.botName + " runs " + locked.version);
            }
          }
        });
  }

  private OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC);
  }
}
