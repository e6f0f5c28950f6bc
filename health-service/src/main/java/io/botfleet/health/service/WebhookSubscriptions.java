package io.botfleet.health.service;

import io.botfleet.common.db.PgNotifications;
import io.botfleet.health.persistence.WebhookRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Which webhooks subscribe to which event type, in memory (the writer consults it for every event).
 * Reloaded when webhooks change here or, through NOTIFY, on another replica.
 */
@ApplicationScoped
public class WebhookSubscriptions {

  static final String CHANNEL = "health_webhooks";

  @Inject WebhookRepository repository;
  @Inject PgNotifications notifications;

  private volatile Map<String, List<UUID>> byType = Map.of();

  void start() {
    reload();
    notifications.listen(CHANNEL, payload -> reload());
  }

  /** True if any webhook exists. */
  boolean any() {
    return !byType.isEmpty();
  }

  /** The webhooks subscribed to {@code type}. */
  List<UUID> subscribedTo(String type) {
    return byType.getOrDefault(type, List.of());
  }

  /** Re-reads the subscriptions. */
  void reload() {
    Map<UUID, List<String>> all = QuarkusTransaction.requiringNew().call(repository::eventTypes);
    Map<String, List<UUID>> next = new HashMap<>();
    all.forEach(
        (id, types) -> types.forEach(t -> next.computeIfAbsent(t, k -> new ArrayList<>()).add(id)));
    byType = Map.copyOf(next);
  }
}
