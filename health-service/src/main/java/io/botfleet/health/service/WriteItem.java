package io.botfleet.health.service;

import io.botfleet.health.domain.BotSnapshot;
import io.botfleet.health.domain.HealthEvent;
import io.botfleet.health.domain.Heartbeat;
import io.botfleet.health.persistence.HeartbeatRow;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One unit of work for the heartbeat writer: a raw heartbeat (or none), the bot's state after it,
 * and the health events it caused. {@code done} completes when the transaction holding it has
 * committed; a heartbeat is answered only then.
 *
 * @param row the raw heartbeat, or null for events alone
 * @param snapshot the bot's state to write, or null
 * @param events the health events to record
 * @param actor who caused it (the bot, or "system")
 * @param sampleMetrics send this heartbeat to GreenHelix as the bot's metrics sample
 * @param sampleWebhook deliver this heartbeat to fleet.heartbeat webhooks
 * @param done completed after commit (exceptionally if it could not be stored)
 */
record WriteItem(
    HeartbeatRow row,
    BotSnapshot snapshot,
    List<HealthEvent> events,
    String actor,
    boolean sampleMetrics,
    boolean sampleWebhook,
    CompletableFuture<Void> done) {

  static WriteItem events(List<HealthEvent> events, BotSnapshot snapshot, String actor) {
    return new WriteItem(null, snapshot, events, actor, false, false, new CompletableFuture<>());
  }

  Heartbeat heartbeat() {
    return row == null ? null : row.heartbeat();
  }
}
