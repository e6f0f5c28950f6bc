package io.botfleet.deploy.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.deploy.client.FleetClient;
import io.botfleet.deploy.client.HealthClient;
import io.botfleet.deploy.config.DeployConfig;
import io.botfleet.deploy.domain.BotDeploymentState;
import io.botfleet.deploy.domain.BotHealth;
import io.botfleet.deploy.domain.Delivery;
import io.botfleet.deploy.domain.DeliveryState;
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
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Sends a {@link CommandLeg}'s command to the bots decided for it, and reads back whether each bot
 * acknowledged it and then heartbeated the version it was told to run, which is when it counts as
 * done. Calls to fleet-service that send are made under the deployment's lock (a pause that has
 * returned means nothing more is sent); reads of deliveries and health are made outside it.
 */
@ApplicationScoped
public class CommandLegs {

  @Inject DeploymentLocks locks;
  @Inject FleetClient fleet;
  @Inject HealthClient health;
  @Inject DeploymentJournal journal;
  @Inject DeployConfig config;
  @Inject Clock clock;

  /**
   * Sends the leg's command for every decision whose command id is not recorded yet: one command
   * per idempotency key, so a decision re-sent after a crash gets back the command already stored.
   *
   * @param payload the command's payload for the bots of one decision
   */
  void send(
      CommandLeg leg,
      String id,
      String owner,
      Predicate<DeploymentEntity> still,
      BiFunction<DeploymentEntity, List<DeploymentBotEntity>, Map<String, Object>> payload) {
    locks.change(
        id,
        owner,
        still,
        d -> {
          Map<String, List<DeploymentBotEntity>> unsent = new LinkedHashMap<>();
          for (DeploymentBotEntity b : locks.bots(id)) {
            if (b.state == leg.inFlight && leg.commandId(b) == null) {
              unsent.computeIfAbsent(leg.requestId(b), k -> new ArrayList<>()).add(b);
            }
          }
          unsent.forEach(
              (key, bots) -> {
                String commandId;
                try {
                  commandId =
                      fleet.sendCommand(
                          bots.stream().map(b -> b.botId).toList(),
                          leg.type,
                          payload.apply(d, bots),
                          leg.ttl(config),
                          key);
                } catch (BotfleetException e) {
                  if (!BotUpdates.refused(e)) {
                    throw e;
                  }
                  // fleet-service refused the command itself: it reached no bot.
                  for (DeploymentBotEntity b : bots) {
                    b.state = BotDeploymentState.FAILED;
                    leg.delivery(b, DeliveryState.REJECTED);
                    b.message = "fleet-service refused " + leg.type + ": " + e.getMessage();
                    b.updatedAt = now();
                  }
                  journal.progress(
                      d, "fleet-service refused " + leg.type + " to " + BotUpdates.names(bots));
                  return;
                }
                for (DeploymentBotEntity b : bots) {
                  leg.commandId(b, commandId);
                  b.commandId = commandId;
                  b.updatedAt = now();
                }
                journal.progress(d, leg.sent(commandId, bots));
              });
        });
  }

  /**
   * Reads acknowledgements and heartbeats (outside the lock), then records them: a bot whose
   * delivery is unsuccessful fails, and a bot is done once it acked and then reported the version.
   */
  void confirm(CommandLeg leg, String id, String owner, Predicate<DeploymentEntity> still) {
    List<DeploymentBotEntity> pending =
        locks.snapshot(id).orElseThrow().bots().stream()
            .filter(b -> b.state == leg.inFlight && leg.commandId(b) != null)
            .toList();
    if (pending.isEmpty()) {
      return;
    }
    Map<String, Delivery> deliveries = new HashMap<>();
    for (String commandId : pending.stream().map(leg::commandId).distinct().toList()) {
      fleet.deliveries(commandId).forEach(x -> deliveries.put(commandId + "/" + x.botId(), x));
    }
    Map<String, BotHealth> healths = new HashMap<>();
    for (DeploymentBotEntity b : pending) {
      Delivery delivery = deliveries.get(leg.commandId(b) + "/" + b.botId);
      if (leg.ackedAt(b) != null || (delivery != null && delivery.state().acknowledged())) {
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
        still,
        d -> {
          for (DeploymentBotEntity b : locks.bots(id)) {
            if (b.state != leg.inFlight || leg.commandId(b) == null) {
              continue;
            }
            Delivery delivery = deliveries.get(leg.commandId(b) + "/" + b.botId);
            if (delivery != null && delivery.state() != leg.delivery(b)) {
              leg.delivery(b, delivery.state());
            }
            if (delivery != null && delivery.state().unsuccessful()) {
              b.state = BotDeploymentState.FAILED;
              b.message =
                  leg.type
                      + " "
                      + delivery.state().name().toLowerCase(Locale.ROOT)
                      + (delivery.message().isEmpty() ? "" : ": " + delivery.message());
              b.updatedAt = now();
              journal.progress(d, b.botName + " " + b.message);
              continue;
            }
            if (leg.ackedAt(b) == null && delivery != null && delivery.state().acknowledged()) {
              Instant acked =
                  delivery.updateTime() != null ? delivery.updateTime() : clock.instant();
              leg.ackedAt(b, acked.atOffset(ZoneOffset.UTC));
              b.updatedAt = now();
            }
            BotHealth h = healths.get(b.botId);
            if (leg.ackedAt(b) != null
                && h != null
                && h.reports(leg.version(d, b), leg.ackedAt(b).toInstant())) {
              OffsetDateTime now = now();
              String line = leg.done(d, b, now);
              b.updatedAt = now;
              journal.progress(d, line);
            }
          }
        });
  }

  private OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC);
  }
}
