package io.botfleet.fleet.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botfleet.common.events.AuditLog;
import io.botfleet.fleet.client.HealthClient;
import io.botfleet.fleet.domain.EventCursor;
import io.botfleet.fleet.domain.HealthEvent;
import io.botfleet.fleet.service.EventFeedService;
import io.quarkus.logging.Log;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One dashboard's server-sent-event stream: fleet events read forwards from the event log, and
 * health changes from its own WatchHealth on health-service. Each event's id is {@code <fleet
 * position>.<health sequence>}; a client that reconnects with it in Last-Event-ID resumes both
 * where it stopped (at least once: deduplicate fleet events by their id).
 */
final class EventStream {

  /**
   * Which events the dashboard wants: fleet events of these types (all when empty), and only those
   * about one bot, fleet and health alike (all when blank). A fleet event is about a bot when it is
   * the event's bot or its payload names it (a command's bot_ids, a failover's from_bot): bot ids
   * are quoted JSON strings of a fixed shape, so looking for the quoted id cannot match another.
   * Events left out still move the stream's position, so resuming never sends them later.
   */
  record Filter(Set<String> types, String botId) {
    boolean admitsFleet(AuditLog.Row row) {
      return (types.isEmpty() || types.contains(row.type()))
          && (botId.isEmpty()
              || botId.equals(row.agentId())
              || row.payloadJson().contains('"' + botId + '"'));
    }

    boolean admitsHealth(HealthEvent event) {
      return botId.isEmpty() || botId.equals(event.botId());
    }
  }

  /** Settings of a stream. */
  record Settings(
      long pollMillis, long gapTimeoutMillis, long keepAliveMillis, long healthRetryMillis) {}

  private final SseEventSink sink;
  private final Sse sse;
  private final ObjectMapper json;
  private final EventFeedService feed;
  private final HealthClient health;
  private final ScheduledExecutorService scheduler;
  private final Settings settings;
  private final boolean withHealth;
  private final Filter filter;
  private final EventCursor cursor;
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
  private final Runnable onClose;
  private long healthSequence;
  private long lastSentMillis = System.currentTimeMillis();
  private volatile Runnable stopWatch;
  private volatile boolean closed;

  EventStream(
      SseEventSink sink,
      Sse sse,
      ObjectMapper json,
      EventFeedService feed,
      HealthClient health,
      ScheduledExecutorService scheduler,
      Settings settings,
      long fleetAfter,
      long healthAfter,
      boolean withHealth,
      Filter filter,
      Runnable onClose) {
    this.sink = sink;
    this.sse = sse;
    this.json = json;
    this.feed = feed;
    this.health = health;
    this.scheduler = scheduler;
    this.settings = settings;
    this.withHealth = withHealth;
    this.filter = filter;
    this.cursor = new EventCursor(fleetAfter, settings.gapTimeoutMillis());
    this.healthSequence = healthAfter;
    this.onClose = onClose;
  }

  /** Starts following. */
  synchronized void start() {
    send(sse.newEventBuilder().comment("botfleet events from " + id()).build());
    tasks.add(
        scheduler.scheduleWithFixedDelay(
            this::poll, 0, settings.pollMillis(), TimeUnit.MILLISECONDS));
    tasks.add(
        scheduler.scheduleWithFixedDelay(
            this::keepAlive,
            settings.keepAliveMillis(),
            settings.keepAliveMillis(),
            TimeUnit.MILLISECONDS));
    if (withHealth) {
      watchHealth();
    }
  }

  /** Stops following and closes the stream. */
  void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    tasks.forEach(t -> t.cancel(false));
    Runnable stop = stopWatch;
    if (stop != null) {
      stop.run();
    }
    try {
      sink.close();
    } catch (RuntimeException e) {
      Log.debugf("Closing an event stream: %s", e.getMessage());
    }
    onClose.run();
  }

  private void poll() {
    if (closed || sink.isClosed()) {
      close();
      return;
    }
    try {
      List<AuditLog.Row> rows;
      do {
        rows = feed.after(cursor.floor());
        Map<Long, AuditLog.Row> bySeq = new HashMap<>();
        List<Long> seqs = new ArrayList<>();
        for (AuditLog.Row row : rows) {
          bySeq.put(row.seq(), row);
          seqs.add(row.seq());
        }
        synchronized (this) {
          for (long seq : cursor.accept(seqs, System.currentTimeMillis())) {
            AuditLog.Row row = bySeq.get(seq);
            if (filter.admitsFleet(row)) {
              sendEvent("fleet", fleetEvent(row));
            }
          }
        }
      } while (rows.size() == EventFeedService.BATCH && !closed);
    } catch (RuntimeException e) {
      Log.warnf("Event stream: reading the event log failed (%s); retrying", e.getMessage());
    }
  }

  private void keepAlive() {
    synchronized (this) {
      if (System.currentTimeMillis() - lastSentMillis >= settings.keepAliveMillis()) {
        send(sse.newEventBuilder().comment("keep-alive").build());
      }
    }
  }

  private void watchHealth() {
    if (closed) {
      return;
    }
    long after;
    synchronized (this) {
      after = healthSequence;
    }
    stopWatch =
        health.watch(
            after,
            new HealthClient.WatchListener() {
              @Override
              public void onEvent(HealthEvent event) {
                synchronized (EventStream.this) {
                  if (event.sequence() <= healthSequence) {
                    return;
                  }
                  healthSequence = event.sequence();
                  if (filter.admitsHealth(event)) {
                    sendEvent("health", healthEvent(event));
                  }
                }
              }

              @Override
              public void onEnd(Throwable cause) {
                if (closed) {
                  return;
                }
                synchronized (EventStream.this) {
                  send(
                      sse.newEventBuilder()
                          .comment(
                              "health watch ended ("
                                  + (cause == null ? "completed" : cause.getMessage())
                                  + "); reconnecting")
                          .build());
                }
                scheduler.schedule(
                    EventStream.this::watchHealth,
                    settings.healthRetryMillis(),
                    TimeUnit.MILLISECONDS);
              }
            });
  }

  private String id() {
    return cursor.floor() + "." + healthSequence;
  }

  private void sendEvent(String name, Map<String, Object> data) {
    String text;
    try {
      text = json.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      Log.warnf("Event stream: cannot serialize a %s event: %s", name, e.getMessage());
      return;
    }
    send(sse.newEventBuilder().id(id()).name(name).data(text).build());
  }

  private void send(OutboundSseEvent event) {
    if (closed || sink.isClosed()) {
      return;
    }
    lastSentMillis = System.currentTimeMillis();
    sink.send(event)
        .exceptionally(
            failure -> {
              // The dashboard went away: stop following for it.
              scheduler.execute(this::close);
              return null;
            });
  }

  private Map<String, Object> fleetEvent(AuditLog.Row row) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("seq", row.seq());
    data.put("id", row.id().toString());
    data.put("type", row.type());
    data.put("bot_id", row.agentId());
    data.put("actor", row.actor());
    try {
      data.put("payload", json.readTree(row.payloadJson()));
    } catch (JsonProcessingException e) {
      data.put("payload", row.payloadJson());
    }
    data.put("time", row.createdAt().toString());
    return data;
  }

  private static Map<String, Object> healthEvent(HealthEvent event) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("sequence", event.sequence());
    data.put("type", event.type().name().toLowerCase(java.util.Locale.ROOT));
    data.put("bot_id", event.botId());
    data.put("bot_name", event.botName());
    data.put("group", event.group());
    data.put("status", event.status());
    data.put("issues", event.issues());
    data.put("version", event.version());
    data.put("message", event.message());
    data.put("time", event.eventTime().toString());
    if (event.lastHeartbeatAt() != null) {
      data.put("last_heartbeat_time", event.lastHeartbeatAt().toString());
    }
    return data;
  }
}
