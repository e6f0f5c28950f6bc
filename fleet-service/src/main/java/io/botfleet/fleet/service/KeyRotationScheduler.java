package io.botfleet.fleet.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.fleet.client.IdentityClient;
import io.botfleet.fleet.config.FleetConfig;
import io.botfleet.fleet.persistence.BotEntity;
import io.botfleet.fleet.persistence.BotRepository;
import io.botfleet.fleet.persistence.FleetEntity;
import io.botfleet.fleet.persistence.LeaseRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Scheduled key rotation (every 30 days by identity-service's schedule; identity-service calls no
 * other service, so fleet-service does the telling): identities due are asked for in
 * identity-service, and for each bot in the fleet {@link KeyRotationService#begin} begins a
 * rotation and sends the bot {@code rotate_key} {rotation_id, key_version, deadline}. The bot makes
 * its own key pair and registers the public key with identity-service (docs/protocol.md). One
 * replica does it (a lease).
 */
@ApplicationScoped
public class KeyRotationScheduler {

  static final String LEASE = "key_rotation";

  @Inject IdentityClient identity;
  @Inject KeyRotationService rotations;
  @Inject BotRepository bots;
  @Inject LeaseRepository leases;
  @Inject FleetEvents events;
  @Inject Replica replica;
  @Inject FleetConfig config;

  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(CommandDispatcher.daemon("fleet-key-rotation"));

  void start(@Observes StartupEvent event) {
    if (!config.keyRotation().enabled()) {
      return;
    }
    long every = config.keyRotation().interval().toMillis();
    worker.scheduleWithFixedDelay(
        this::runSafely, Math.min(every, 10_000), every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    worker.shutdownNow();
  }

  private void runSafely() {
    try {
      boolean held =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      leases.acquire(
                          LEASE, replica.id(), config.keyRotation().interval().plusMinutes(1)));
      if (held) {
        rotateDue();
      }
    } catch (RuntimeException e) {
      Log.warnf("Scheduled key rotation failed: %s; retried at the next run", e.getMessage());
    }
  }

  /** Begins the rotations due now and tells the bots; returns how many bots were told. */
  public int rotateDue() {
    Optional<FleetEntity> fleet = QuarkusTransaction.requiringNew().call(() -> events.fleet());
    if (fleet.isEmpty()) {
      return 0;
    }
    int told = 0;
    for (IdentityClient.DueIdentity due :
        identity.listRotationDue(fleet.get().organization, Instant.now())) {
      BotEntity bot = QuarkusTransaction.requiringNew().call(() -> bots.findById(due.agentId()));
      if (bot == null || !KeyRotationService.ROTATABLE.contains(bot.status)) {
        continue;
      }
      try {
        rotations.begin(bot, "scheduled", config.keyRotation().gracePeriod(), null, "system");
        told++;
      } catch (BotfleetException e) {
        // e.g. a rotation already in progress (begun by an operator): nothing to do.
        Log.infof("Key rotation of %s not begun: %s", bot.name, e.getMessage());
      }
    }
    if (told > 0) {
      Log.infof("Told %d bots to rotate their keys", told);
    }
    return told;
  }
}
