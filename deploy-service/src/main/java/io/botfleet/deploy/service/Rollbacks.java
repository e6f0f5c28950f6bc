package io.botfleet.deploy.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.deploy.client.FleetClient;
import io.botfleet.deploy.client.HealthClient;
import io.botfleet.deploy.config.DeployConfig;
import io.botfleet.deploy.domain.BotDeploymentState;
import io.botfleet.deploy.domain.BotHealth;
import io.botfleet.deploy.domain.Delivery;
import io.botfleet.deploy.domain.DeploymentState;
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
import java.util.stream.Collectors;

/**
 * A rollback: rollback_version to every bot that may run the new version, naming the version it ran
 * before (one command per previous version); a bot counts as rolled back once it acknowledged and
 * then heartbeated its previous version. Drained bots are resumed once back. A refused rollback, or
 * one not confirmed within the progress deadline, leaves the deployment FAILED for a human.
 */
@ApplicationScoped
public class Rollbacks {

  @Inject DeploymentLocks locks;
  @Inject FleetClient fleet;
  @Inject HealthClient health;
  @Inject BotDrains drains;
  @Inject DeploymentTransitions transitions;
  @Inject DeploymentJournal journal;
  @Inject DeployConfig config;
  @Inject Clock clock;

  private static final Predicate<DeploymentEntity> STILL =
      d -> d.state == DeploymentState.ROLLING_BACK;

  /** Advances the rollback as far as it can go now. */
  void advance(DeploymentEntity snapshot, String owner) {
    Phases phases = new Phases();
    phases.run(() -> send(snapshot.id, owner));
    phases.run(() -> confirm(snapshot.id, owner));
    phases.run(() -> drains.sendResumes(snapshot.id, owner, STILL));
    phases.stopIfInterrupted();
    conclude(snapshot.id, owner);
    phases.rethrow();
  }

  private void send(String id, String owner) {
    locks.change(
        id,
        owner,
        STILL,
        d -> {
          Map<String, List<DeploymentBotEntity>> unsent = new LinkedHashMap<>();
          for (DeploymentBotEntity b : locks.bots(id)) {
            if (b.state == BotDeploymentState.ROLLING_BACK && b.rollbackCommandId == null) {
              unsent.computeIfAbsent(b.rollbackRequestId, k -> new ArrayList<>()).add(b);
            }
          }
          unsent.forEach(
              (key, bots) -> {
                String commandId;
                try {
                  commandId =
                      fleet.sendCommand(
                          bots.stream().map(b -> b.botId).toList(),
                          CommandPayloads.ROLLBACK_VERSION,
                          CommandPayloads.rollback(d, bots.get(0)),
                          config.rollbackCommandTtl(),
                          key);
                } catch (BotfleetException e) {
                  if (!BotUpdates.refused(e)) {
                    throw e;
                  }
                  for (DeploymentBotEntity b : bots) {
                    b.state = BotDeploymentState.FAILED;
                    b.rollbackDelivery = io.botfleet.deploy.domain.DeliveryState.REJECTED;
                    b.message = "fleet-service refused rollback_version: " + e.getMessage();
                    b.updatedAt = now();
                  }
                  journal.progress(
                      d, "fleet-service refused rollback_version to " + BotUpdates.names(bots));
                  return;
                }
                for (DeploymentBotEntity b : bots) {
                  b.rollbackCommandId = commandId;
                  b.commandId = commandId;
                  b.updatedAt = now();
                }
                journal.progress(
                    d,
                    "sent rollback_version "
                        + commandId
                        + " (back to "
                        + bots.get(0).previousVersion
                        + ") to "
                        + BotUpdates.names(bots));
              });
        });
  }

  private void confirm(String id, String owner) {
    List<DeploymentBotEntity> pending =
        locks.snapshot(id).orElseThrow().bots().stream()
            .filter(b -> b.state == BotDeploymentState.ROLLING_BACK && b.rollbackCommandId != null)
            .toList();
    if (pending.isEmpty()) {
      return;
    }
    Map<String, Delivery> deliveries = new HashMap<>();
    for (String commandId : pending.stream().map(b -> b.rollbackCommandId).distinct().toList()) {
      fleet.deliveries(commandId).forEach(x -> deliveries.put(commandId + "/" + x.botId(), x));
    }
    Map<String, BotHealth> healths = new HashMap<>();
    for (DeploymentBotEntity b : pending) {
      Delivery delivery = deliveries.get(b.rollbackCommandId + "/" + b.botId);
      if (b.rollbackAckedAt != null || (delivery != null && delivery.state().acknowledged())) {
        try {
          healths.put(b.botId, health.botHealth(b.botId));
        } catch (BotfleetException e) {
          Log.debugf("No health for %s yet: %s", b.botName, e.getMessage());
        }
      }
    }
    locks.change(
        id,
        owner,
        STILL,
        d -> {
          for (DeploymentBotEntity b : locks.bots(id)) {
            if (b.state != BotDeploymentState.ROLLING_BACK || b.rollbackCommandId == null) {
              continue;
            }
            Delivery delivery = deliveries.get(b.rollbackCommandId + "/" + b.botId);
            if (delivery != null) {
              b.rollbackDelivery = delivery.state();
            }
            if (delivery != null && delivery.state().unsuccessful()) {
              b.state = BotDeploymentState.FAILED;
              b.message =
                  "rollback_version "
                      + delivery.state().name().toLowerCase(Locale.ROOT)
                      + (delivery.message().isEmpty() ? "" : ": " + delivery.message());
              b.updatedAt = now();
              journal.progress(d, b.botName + " " + b.message);
              continue;
            }
            if (b.rollbackAckedAt == null && delivery != null && delivery.state().acknowledged()) {
              Instant acked =
                  delivery.updateTime() != null ? delivery.updateTime() : clock.instant();
              b.rollbackAckedAt = acked.atOffset(ZoneOffset.UTC);
              b.updatedAt = now();
            }
            BotHealth h = healths.get(b.botId);
            if (b.rollbackAckedAt != null
                && h != null
                && h.reports(b.previousVersion, b.rollbackAckedAt.toInstant())) {
              b.state = BotDeploymentState.ROLLED_BACK;
              b.message = null;
              b.updatedAt = now();
              journal.progress(d, b.botName + " is back on " + b.previousVersion);
            }
          }
        });
  }

  private void conclude(String id, String owner) {
    locks.change(
        id,
        owner,
        STILL,
        d -> {
          List<DeploymentBotEntity> bots = locks.bots(id);
          List<DeploymentBotEntity> refused =
              bots.stream()
                  .filter(b -> b.state == BotDeploymentState.FAILED && b.rollbackDelivery != null)
                  .toList();
          List<DeploymentBotEntity> open =
              bots.stream().filter(b -> b.state == BotDeploymentState.ROLLING_BACK).toList();
          boolean resumesOwed = bots.stream().anyMatch(DeploymentBotEntity::owedResume);
          if (open.isEmpty() && !refused.isEmpty()) {
            transitions.fail(d, "rollback failed: " + describe(refused));
          } else if (open.isEmpty() && !resumesOwed) {
            transitions.rolledBack(d, bots);
          } else {
            OffsetDateTime lastProgress = d.stepStartedAt;
            for (DeploymentBotEntity b : bots) {
              if (b.updatedAt != null && b.updatedAt.isAfter(lastProgress)) {
                lastProgress = b.updatedAt;
              }
            }
            java.time.Duration deadline = d.rolloutParameters().progressDeadline();
            if (clock.instant().isAfter(lastProgress.toInstant().plus(deadline))) {
              List<String> parts = new ArrayList<>();
              open.forEach(
                  b ->
                      parts.add(
                          b.botName
                              + (b.rollbackAckedAt == null
                                  ? " never acknowledged rollback_version"
                                  : " never reported " + b.previousVersion + " again")));
              refused.forEach(b -> parts.add(b.botName + " " + b.message));
              transitions.fail(
                  d,
                  "rollback not confirmed within "
                      + deadline.toSeconds()
                      + " s: "
                      + String.join("; ", parts));
            }
          }
        });
  }

  private static String describe(List<DeploymentBotEntity> bots) {
    return bots.stream().map(b -> b.botName + " " + b.message).collect(Collectors.joining("; "));
  }

  private OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC);
  }
}
