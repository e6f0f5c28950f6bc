package io.botfleet.health.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botfleet.common.events.EventLog;
import io.botfleet.common.greenhelix.Outbox;
import io.botfleet.health.config.HealthConfig;
import io.botfleet.health.domain.Alert;
import io.botfleet.health.domain.EventRouting;
import io.botfleet.health.domain.HealthEvent;
import io.botfleet.health.domain.HealthEventType;
import io.botfleet.health.domain.Heartbeat;
import io.botfleet.health.persistence.WebhookDeliveryRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What health events and sampled heartbeats cause besides their own rows, in the writer's
 * transaction: the audit event, the GreenHelix calls (publish_event, send_message to the fleet
 * manager, sampled submit_metrics) through the outbox, and webhook deliveries.
 */
@ApplicationScoped
public class HealthEffects {

  @Inject EventLog eventLog;
  @Inject Outbox outbox;
  @Inject HealthConfig config;
  @Inject WebhookSubscriptions webhooks;
  @Inject ObjectMapper json;

  /** The alerts raised or resolved by {@code events}. */
  static List<Alert> alertsOf(List<HealthEvent> events) {
    List<Alert> alerts = new ArrayList<>();
    for (HealthEvent event : events) {
      if (event.type() == HealthEventType.ALERT_RAISED
          || event.type() == HealthEventType.ALERT_RESOLVED) {
        alerts.add(event.alert());
      }
    }
    return alerts;
  }

  /** Webhook deliveries of the events and of the sampled heartbeats in a batch. */
  List<WebhookDeliveryRow> deliveries(List<WriteItem> batch, List<HealthEvent> events) {
    if (!webhooks.any()) {
      return List.of();
    }
    List<WebhookDeliveryRow> rows = new ArrayList<>();
    for (HealthEvent event : events) {
      EventRouting.webhookType(event)
          .ifPresent(type -> addDeliveries(rows, type, event.time(), event.facts()));
    }
    for (WriteItem item : batch) {
      if (item.sampleWebhook() && item.row() != null) {
        Map<String, Object> data = metrics(item.row().heartbeat(), item.row().receivedAt());
        data.put("agent_id", item.row().botId());
        data.put("status", item.row().status().dbName());
        data.put("issues", item.row().issues());
        addDeliveries(rows, EventRouting.HEARTBEAT, item.row().receivedAt(), data);
      }
    }
    return rows;
  }

  /** Audit events and GreenHelix calls. */
  void record(List<WriteItem> batch, List<HealthEvent> events, List<String> actors) {
    String manager = config.fleetManagerAgentId();
    for (int i = 0; i < events.size(); i++) {
      HealthEvent event = events.get(i);
      String type = EventRouting.auditType(event);
      eventLog.append(type, event.botId(), actors.get(i), event.facts());
      String agent = event.botId() == null ? manager : event.botId();
      if (EventRouting.published(event)) {
        outbox.enqueue(
            agent,
            "publish_event",
            Map.of("agent_id", manager, "event_type", type, "payload", event.facts()));
      }
      if (EventRouting.messaged(event)) {
        Alert alert = event.alert();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put(
            "severity",
            event.type() == HealthEventType.ALERT_RESOLVED ? "info" : alert.severity().dbName());
        payload.put("bot_name", alert.botName());
        payload.put("agent_id", alert.botId() == null ? "" : alert.botId());
        payload.put("issues", alert.issues());
        payload.put("timestamp", event.time().toString());
        payload.put("alert_id", alert.id().toString());
        payload.put("kind", alert.kind());
        payload.put("state", alert.open() ? "open" : "resolved");
        payload.put("message", event.message());
        outbox.enqueue(
            agent,
            "send_message",
            Map.of(
                "from_agent_id", manager,
                "to_agent_id", manager,
                "message_type", "alert",
                "payload", payload));
      }
    }
    for (WriteItem item : batch) {
      if (item.sampleMetrics() && item.row() != null) {
        outbox.enqueue(
            item.row().botId(),
            "submit_metrics",
            Map.of(
                "agent_id",
                item.row().botId(),
                "metrics",
                metrics(item.row().heartbeat(), item.row().receivedAt())));
      }
    }
  }

  /** The guide's metrics of a heartbeat plus heartbeat_timestamp. */
  static Map<String, Object> metrics(Heartbeat h, Instant receivedAt) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("uptime_seconds", h.uptimeSeconds());
    metrics.put("heartbeat_latency_ms", h.latencyMs());
    metrics.put("pnl_usd", h.pnl());
    metrics.put("drawdown_pct", h.drawdownPct());
    metrics.put("trade_count", h.tradeCount());
    metrics.put("open_positions", h.openPositions());
    metrics.put("open_orders", h.openOrders());
    metrics.put("memory_mb", h.memoryMb());
    metrics.put("cpu_pct", h.cpuPct());
    metrics.put("error_count", h.errorCount());
    metrics.put("heartbeat_timestamp", h.heartbeatTime().toString());
    metrics.put("version", h.version());
    h.customMetrics().forEach(metrics::putIfAbsent);
    return metrics;
  }

  private void addDeliveries(
      List<WebhookDeliveryRow> rows, String type, Instant time, Map<String, Object> data) {
    List<UUID> subscribers = webhooks.subscribedTo(type);
    if (subscribers.isEmpty()) {
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type);
    body.put("timestamp", time.toString());
    body.put("data", data);
    String payload;
    try {
      payload = json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("webhook payload is not serializable", e);
    }
    for (UUID webhook : subscribers) {
      rows.add(new WebhookDeliveryRow(UUID.randomUUID(), webhook, type, payload));
    }
  }
}
