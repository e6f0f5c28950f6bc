package io.botfleet.health.service;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Starts health-service's machinery in order: the observer clock (the outage just ended is recorded
 * before anything is measured), what the heartbeat path reads (policies, webhooks, the bots and
 * their stored state), the storage it writes to, the writer, then what reacts (the event feed,
 * tracking notifications, dead-bot detection, webhook deliveries).
 */
@ApplicationScoped
public class HealthStartup {

  @Inject ObserverClock observer;
  @Inject PolicyCache policies;
  @Inject WebhookSubscriptions webhooks;
  @Inject BotRegistry registry;
  @Inject StorageMaintenance storage;
  @Inject HeartbeatWriter writer;
  @Inject HealthEventFeed feed;
  @Inject TrackingService tracking;
  @Inject DeadBotSweeper sweeper;
  @Inject WebhookDispatcher dispatcher;

  void start(@Observes StartupEvent event) {
    observer.start();
    policies.start();
    webhooks.start();
    registry.load();
    storage.start();
    writer.start();
    feed.start();
    tracking.start();
    sweeper.start();
    dispatcher.start();
  }
}
