package io.botfleet.deploy.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.deploy.client.FleetClient;
import io.botfleet.deploy.client.HealthClient;
import io.botfleet.deploy.domain.BotDeploymentState;
import io.botfleet.deploy.domain.BotHealth;
import io.botfleet.deploy.persistence.DeploymentBotEntity;
import io.botfleet.deploy.persistence.DeploymentEntity;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Draining stateful bots (options market makers) around their update: pause the bot, wait until its
 * heartbeats show no open order (or the drain timeout), update it, and resume it once it runs the
 * new version (or once it is back on its old one, or left alone).
 */
@ApplicationScoped
public class BotDrains {

  @Inject DeploymentLocks locks;
  @Inject FleetClient fleet;
  @Inject HealthClient health;
  @Inject DeploymentJournal journal;
  @Inject Clock clock;

  /** Sends the pause of every bot decided for draining whose pause is not recorded yet. */
  void sendPauses(String id, String owner, Predicate<DeploymentEntity> still) {
    locks.change(
        id,
        owner,
        still,
        d -> {
          for (DeploymentBotEntity b : locks.bots(id)) {
            if (b.state == BotDeploymentState.DRAINING && b.drainCommandId == null) {
              b.drainCommandId =
                  fleet.pauseBots(
                      List.of(b.botId),
                      "deployment " + d.id + ": draining before the update to " + d.version,
                      CommandPayloads.drainKey(d, b.botId));
              b.commandId = b.drainCommandId;
              b.drainStartedAt = now();
              b.updatedAt = b.drainStartedAt;
              journal.progress(d, "draining " + b.botName + " (paused, waiting for 0 open orders)");
            }
          }
        });
  }

  /**
   * Moves drained bots on to their update: a heartbeat received after the pause shows no open
   * order, or the drain timeout has passed (then it is updated anyway, as the guide does, and the
   * open orders are noted).
   *
   * @param decide called inside the transaction with the bots that may now be updated
   */
  void finishDrains(
      DeploymentEntity snapshot,
      List<DeploymentBotEntity> bots,
      String owner,
      Predicate<DeploymentEntity> still,
      java.util.function.BiConsumer<DeploymentEntity, List<DeploymentBotEntity>> decide) {
    Map<String, BotHealth> seen = new HashMap<>();
    for (DeploymentBotEntity b : bots) {
      if (b.state == BotDeploymentState.DRAINING && b.drainCommandId != null) {
        try {
          seen.put(b.botId, health.botHealth(b.botId));
        } catch (BotfleetException e) {
          Log.debugf("No health for draining bot %s yet: %s", b.botName, e.getMessage());
        }
      }
    }
    Instant now = clock.instant();
    java.time.Duration timeout = snapshot.rolloutParameters().drainTimeout();
    locks.change(
        snapshot.id,
        owner,
        still,
        d -> {
          List<DeploymentBotEntity> ready = new java.util.ArrayList<>();
          for (DeploymentBotEntity b : locks.bots(d.id)) {
            if (b.state != BotDeploymentState.DRAINING || b.drainStartedAt == null) {
              continue;
            }
            BotHealth h = seen.get(b.botId);
            boolean fresh =
                h != null
                    && h.latestReceiveTime() != null
                    && h.latestReceiveTime().isAfter(b.drainStartedAt.toInstant());
            if (fresh && h.openOrders() != null && h.openOrders() == 0) {
              b.message = "drained";
              ready.add(b);
            } else if (!now.isBefore(b.drainStartedAt.toInstant().plus(timeout))) {
              b.message =
                  "drain timeout ("
                      + timeout.toSeconds()
                      + " s) with "
                      + (h == null || h.openOrders() == null ? "unknown" : h.openOrders())
                      + " open orders";
              ready.add(b);
            }
          }
          if (!ready.isEmpty()) {
            ready.forEach(b -> journal.progress(d, b.botName + ": " + b.message));
            decide.accept(d, ready);
          }
        });
  }

  /** Resumes every bot this deployment paused and no longer needs paused. */
  void sendResumes(String id, String owner, Predicate<DeploymentEntity> still) {
    locks.change(
        id,
        owner,
        still,
        d -> {
          for (DeploymentBotEntity b : locks.bots(id)) {
            if (b.owedResume()) {
              b.resumeCommandId =
                  fleet.resumeBots(
                      List.of(b.botId),
                      "deployment " + d.id + ": " + b.botName + " is " + describe(b),
                      CommandPayloads.resumeKey(d, b.botId));
              b.commandId = b.resumeCommandId;
              b.updatedAt = now();
              journal.progress(d, "resumed " + b.botName + " after its drain");
            }
          }
        });
  }

  private static String describe(DeploymentBotEntity b) {
    return switch (b.state) {
      case UPDATED -> "updated";
      case ROLLED_BACK -> "rolled back";
      default -> "left unchanged";
    };
  }

  private OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC);
  }
}
