package io.botfleet.health.service;

import io.botfleet.health.domain.Alert;
import io.botfleet.health.domain.BotState;
import io.botfleet.health.persistence.BotRepository;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live state of every tracked bot on this replica: a concurrent map, so the heartbeat path
 * finds a bot without a lock and evaluates it in memory. Loaded from the current-state table at
 * start; kept current by this replica's heartbeats and, for the rest, by the health events other
 * replicas commit.
 */
@ApplicationScoped
public class BotRegistry {

  private final String replicaId = UUID.randomUUID().toString();
  private final ConcurrentHashMap<String, BotState> bots = new ConcurrentHashMap<>();

  @Inject BotRepository repository;

  /** This replica's id (the origin of the health events it records). */
  public String replicaId() {
    return replicaId;
  }

  /** Loads every tracked bot with its stored state and open alert. */
  void load() {
    Map<UUID, Alert> open = repository.openAlerts();
    for (BotRepository.StoredBot stored : repository.tracked()) {
      BotState state = new BotState(stored.bot(), stored.state());
      UUID alertId = stored.state().openAlertId();
      if (alertId != null && open.containsKey(alertId)) {
        state.restoreOpenAlert(open.get(alertId));
      }
      bots.put(stored.bot().botId(), state);
    }
    Log.infof("Loaded %d tracked bots", bots.size());
  }

  /** The bot's state, if tracked. */
  public Optional<BotState> find(String botId) {
    return Optional.ofNullable(bots.get(botId));
  }

  /** Every tracked bot. */
  public Collection<BotState> all() {
    return bots.values();
  }

  /** How many bots are tracked. */
  public int size() {
    return bots.size();
  }

  void put(BotState state) {
    bots.put(state.botId(), state);
  }

  BotState remove(String botId) {
    return bots.remove(botId);
  }
}
