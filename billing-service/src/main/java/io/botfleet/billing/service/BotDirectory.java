package io.botfleet.billing.service;

import io.botfleet.billing.client.FleetClient;
import io.botfleet.billing.config.BillingConfig;
import io.botfleet.billing.domain.BotInfo;
import io.botfleet.billing.persistence.BotRepository;
import io.botfleet.billing.persistence.CostEntryRepository;
import io.botfleet.common.error.BotfleetException;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What billing knows of bots (name, group, strategy, exchange): a local copy of fleet-service's
 * answers, refreshed by a job and on a miss. Booking never depends on fleet-service being up: a
 * cost for a bot fleet-service cannot name right now is booked by id and named when it answers
 * again.
 */
@ApplicationScoped
public class BotDirectory {

  @Inject BotRepository bots;
  @Inject CostEntryRepository entries;
  @Inject FleetClient fleet;
  @Inject BillingConfig config;

  private volatile Instant refreshedAt = Instant.EPOCH;

  /** The bot as last seen, without asking fleet-service. */
  public Optional<BotInfo> cached(String botId) {
    return QuarkusTransaction.joiningExisting().call(() -> bots.find(botId));
  }

  /**
   * The bot: from the directory, else from fleet-service (and remembered). Empty if fleet-service
   * says there is no such bot; UNAVAILABLE if it cannot be asked and the directory does not know.
   * Call outside a transaction: it may wait on fleet-service.
   */
  public Optional<BotInfo> lookup(String botId) {
    Optional<BotInfo> known = cached(botId);
    if (known.isPresent()) {
      return known;
    }
    Optional<BotInfo> fetched = fleet.getBot(botId);
    fetched.ifPresent(
        bot -> QuarkusTransaction.requiringNew().run(() -> bots.upsert(List.of(bot))));
    return fetched;
  }

  /**
   * Like {@link #lookup} but never fails: empty when the bot is unknown or fleet-service is down
   * (the cost is then booked by id and named later).
   */
  public Optional<BotInfo> lookupQuietly(String botId) {
    try {
      return lookup(botId);
    } catch (RuntimeException e) {
      Log.debugf("Bot %s not named now: %s", botId, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * True only if fleet-service says there is no such bot (a typo in an operator's request); false
   * when it knows the bot or cannot tell right now.
   */
  public boolean knownMissing(String botId) {
    try {
      return lookup(botId).isEmpty();
    } catch (BotfleetException cannotTell) {
      return false;
    }
  }

  /** Every bot seen. */
  public List<BotInfo> all() {
    return QuarkusTransaction.joiningExisting().call(() -> bots.all());
  }

  /**
   * Every bot, reloaded from fleet-service first if the directory is older than {@code
   * jobs.directory-refresh} and fleet-service answers; else as last seen.
   */
  public List<BotInfo> current() {
    if (refreshedAt.plus(config.jobs().directoryRefresh()).isAfter(Instant.now())) {
      return all();
    }
    try {
      return refresh();
    } catch (RuntimeException fleetDown) {
      Log.debugf("Bot directory as last seen: %s", fleetDown.getMessage());
      return all();
    }
  }

  /**
   * Reloads the whole fleet from fleet-service and names the entries booked while it was away.
   * Throws UNAVAILABLE if fleet-service does not answer.
   */
  public List<BotInfo> refresh() {
    List<BotInfo> fleetBots = fleet.listBots("");
    int named =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  bots.upsert(fleetBots);
                  return entries.backfillNames();
                });
    if (named > 0) {
      Log.infof("Named %d cost entries booked while fleet-service could not say who", named);
    }
    refreshedAt = Instant.now();
    return fleetBots;
  }
}
