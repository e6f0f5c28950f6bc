package io.botfleet.health.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botfleet.health.domain.Alert;
import io.botfleet.health.domain.BotSnapshot;
import io.botfleet.health.domain.HealthEvent;
import io.botfleet.health.domain.HealthIssue;
import io.botfleet.health.domain.Heartbeat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;

/**
 * The heartbeat writer's SQL: raw heartbeats by COPY, the current-state rows by one UPDATE over
 * arrays, health events in commit order, alerts. Everything runs on the connection of the writer's
 * transaction.
 */
@ApplicationScoped
public class HeartbeatStore {

  /** The advisory lock under which health events get their sequence (commit order). */
  static final String EVENTS_LOCK =
      "select pg_advisory_xact_lock(hashtext('health_events:' || current_schema()))";

  @Inject ObjectMapper json;

  /** Copies raw heartbeats into their daily partitions. */
  public void copyHeartbeats(Connection connection, List<HeartbeatRow> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder(rows.size() * 220);
    for (HeartbeatRow row : rows) {
      Heartbeat h = row.heartbeat();
      text.append(escape(row.botId())).append('\t');
      text.append(row.receivedAt()).append('\t');
      text.append(h.sequence()).append('\t');
      text.append(h.heartbeatTime()).append('\t');
      text.append(escape(h.version())).append('\t');
      text.append(h.uptimeSeconds()).append('\t');
      text.append(h.latencyMs()).append('\t');
      text.append(h.pnlUsd()).append('\t');
      text.append(h.drawdownPct()).append('\t');
      text.append(h.tradeCount()).append('\t');
      text.append(h.openPositions()).append('\t');
      text.append(h.openOrders()).append('\t');
      text.append(h.memoryMb()).append('\t');
      text.append(h.cpuPct()).append('\t');
      text.append(h.errorCount()).append('\t');
      text.append(h.customMetrics().isEmpty() ? "\\N" : escape(toJson(h.customMetrics())));
      text.append('\t');
      text.append(row.status().dbName()).append('\t');
      text.append(row.issues().isEmpty() ? "\\N" : escape(arrayLiteral(row.issues())));
      text.append('\n');
    }
    try {
      connection
          .unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(
              "copy heartbeats (bot_id, received_at, sequence, heartbeat_time, version,"
                  + " uptime_seconds, latency_ms, pnl_usd, drawdown_pct, trade_count, open_positions,"
                  + " open_orders, memory_mb, cpu_pct, error_count, custom_metrics, status, issues)"
                  + " from stdin",
              new StringReader(text.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rewrites the current-state rows of the bots in {@code states} (one per bot). */
  public void updateStates(Connection connection, List<BotSnapshot> states) throws SQLException {
    if (states.isEmpty()) {
      return;
    }
    int n = states.size();
    String[] ids = new String[n];
    String[] statuses = new String[n];
    String[] issues = new String[n];
    Timestamp[] since = new Timestamp[n];
    Timestamp[] last = new Timestamp[n];
    Timestamp[] dead = new Timestamp[n];
    String[] alert = new String[n];
    Long[] sequence = new Long[n];
    Timestamp[] sampled = new Timestamp[n];
    String[] version = new String[n];
    Long[] uptime = new Long[n];
    Double[] latency = new Double[n];
    String[] pnl = new String[n];
    Double[] drawdown = new Double[n];
    Long[] trades = new Long[n];
    Integer[] positions = new Integer[n];
    Integer[] orders = new Integer[n];
    Double[] memory = new Double[n];
    Double[] cpu = new Double[n];
    Long[] errors = new Long[n];
    String[] custom = new String[n];
    for (int i = 0; i < n; i++) {
      BotSnapshot s = states.get(i);
      ids[i] = s.botId();
      statuses[i] = s.status().dbName();
      issues[i] = s.issues().isEmpty() ? "[]" : toJson(issueMaps(s.issues()));
      since[i] = timestamp(s.statusSince());
      last[i] = timestamp(s.lastHeartbeatAt());
      dead[i] = timestamp(s.deadSince());
      alert[i] = s.openAlertId() == null ? null : s.openAlertId().toString();
      Heartbeat h = s.latest();
      if (h != null) {
        sequence[i] = h.sequence();
        sampled[i] = timestamp(h.heartbeatTime());
        version[i] = h.version();
        uptime[i] = h.uptimeSeconds();
        latency[i] = h.latencyMs();
        pnl[i] = h.pnlUsd();
        drawdown[i] = h.drawdownPct();
        trades[i] = h.tradeCount();
        positions[i] = h.openPositions();
        orders[i] = h.openOrders();
        memory[i] = h.memoryMb();
        cpu[i] = h.cpuPct();
        errors[i] = h.errorCount();
        custom[i] = h.customMetrics().isEmpty() ? null : toJson(h.customMetrics());
      }
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "update bot_states s set status = u.status, issues = u.issues::jsonb,"
                + " status_since = u.since, last_heartbeat_at = u.last, dead_since = u.dead,"
                + " open_alert_id = u.alert::uuid, last_sequence = u.seq, heartbeat_time = u.sampled,"
                + " version = u.version, uptime_seconds = u.uptime, latency_ms = u.latency,"
                + " pnl_usd = u.pnl::numeric, drawdown_pct = u.drawdown, trade_count = u.trades,"
                + " open_positions = u.positions, open_orders = u.orders, memory_mb = u.memory,"
                + " cpu_pct = u.cpu, error_count = u.errors, custom_metrics = u.custom::jsonb"
                + " from unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[],"
                + " ?::timestamptz[], ?::text[], ?::bigint[], ?::timestamptz[], ?::text[], ?::bigint[],"
                + " ?::float8[], ?::text[], ?::float8[], ?::bigint[], ?::int[], ?::int[], ?::float8[],"
                + " ?::float8[], ?::bigint[], ?::text[])"
                + " as u(id, status, issues, since, last, dead, alert, seq, sampled, version, uptime,"
                + " latency, pnl, drawdown, trades, positions, orders, memory, cpu, errors, custom)"
                + " where s.bot_id = u.id")) {
      int p = 1;
      update.setArray(p++, connection.createArrayOf("text", ids));
      update.setArray(p++, connection.createArrayOf("text", statuses));
      update.setArray(p++, connection.createArrayOf("text", issues));
      update.setArray(p++, connection.createArrayOf("timestamptz", since));
      update.setArray(p++, connection.createArrayOf("timestamptz", last));
      update.setArray(p++, connection.createArrayOf("timestamptz", dead));
      update.setArray(p++, connection.createArrayOf("text", alert));
      update.setArray(p++, connection.createArrayOf("int8", sequence));
      update.setArray(p++, connection.createArrayOf("timestamptz", sampled));
      update.setArray(p++, connection.createArrayOf("text", version));
      update.setArray(p++, connection.createArrayOf("int8", uptime));
      update.setArray(p++, connection.createArrayOf("float8", latency));
      update.setArray(p++, connection.createArrayOf("text", pnl));
      update.setArray(p++, connection.createArrayOf("float8", drawdown));
      update.setArray(p++, connection.createArrayOf("int8", trades));
      update.setArray(p++, connection.createArrayOf("int4", positions));
      update.setArray(p++, connection.createArrayOf("int4", orders));
      update.setArray(p++, connection.createArrayOf("float8", memory));
      update.setArray(p++, connection.createArrayOf("float8", cpu));
      update.setArray(p++, connection.createArrayOf("int8", errors));
      update.setArray(p, connection.createArrayOf("text", custom));
      update.executeUpdate();
    }
  }

  /**
   * Inserts health events under the events lock, so their sequence is their commit order. Returns
   * the sequences, in order.
   */
  public long[] insertEvents(Connection connection, List<HealthEvent> events, String origin)
      throws SQLException {
    long[] sequences = new long[events.size()];
    if (events.isEmpty()) {
      return sequences;
    }
    try (var lock = connection.createStatement()) {
      lock.execute(EVENTS_LOCK);
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into health_events (seq, origin, type, bot_id, bot_name, bot_group, previous_status,"
                + " status, issues, version, message, event_time, last_heartbeat_at, alert_id,"
                + " alert_kind, alert_severity, alert_state, alert_raised_at, alert_resolved_at)"
                + " values (nextval('health_events_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::uuid,"
                + " ?, ?, ?, ?, ?) returning seq")) {
      for (int i = 0; i < events.size(); i++) {
        HealthEvent e = events.get(i);
        int p = 1;
        insert.setString(p++, origin);
        insert.setString(p++, e.type().name());
        insert.setString(p++, e.botId());
        insert.setString(p++, e.botName());
        insert.setString(p++, e.group());
        insert.setString(p++, e.previousStatus() == null ? null : e.previousStatus().dbName());
        insert.setString(p++, e.status() == null ? null : e.status().dbName());
        insert.setArray(p++, connection.createArrayOf("text", e.issues().toArray()));
        insert.setString(p++, e.version());
        insert.setString(p++, e.message());
        insert.setTimestamp(p++, timestamp(e.time()));
        insert.setTimestamp(p++, timestamp(e.lastHeartbeatAt()));
        Alert a = e.alert();
        insert.setString(p++, a == null ? null : a.id().toString());
        insert.setString(p++, a == null ? null : a.kind());
        insert.setString(p++, a == null ? null : a.severity().dbName());
        insert.setString(p++, a == null ? null : (a.open() ? "open" : "resolved"));
        insert.setTimestamp(p++, a == null ? null : timestamp(a.raisedAt()));
        insert.setTimestamp(p, a == null ? null : timestamp(a.resolvedAt()));
        try (var result = insert.executeQuery()) {
          result.next();
          sequences[i] = result.getLong(1);
        }
      }
    }
    return sequences;
  }

  /** Inserts raised alerts and marks resolved ones. */
  public void saveAlerts(Connection connection, List<Alert> alerts) throws SQLException {
    if (alerts.isEmpty()) {
      return;
    }
    try (PreparedStatement raise =
            connection.prepareStatement(
                "insert into alerts (id, bot_id, bot_name, bot_group, kind, severity, issues,"
                    + " message, state, raised_at) values (?::uuid, ?, ?, ?, ?, ?, ?, ?, 'open', ?)"
                    + " on conflict (id) do nothing");
        PreparedStatement resolve =
            connection.prepareStatement(
                "update alerts set state = 'resolved', resolved_at = ? where id = ?::uuid"
                    + " and state = 'open'")) {
      for (Alert a : alerts) {
        if (a.open()) {
          raise.setString(1, a.id().toString());
          raise.setString(2, a.botId());
          raise.setString(3, a.botName());
          raise.setString(4, a.group());
          raise.setString(5, a.kind());
          raise.setString(6, a.severity().dbName());
          raise.setArray(7, connection.createArrayOf("text", a.issues().toArray()));
          raise.setString(8, a.message());
          raise.setTimestamp(9, timestamp(a.raisedAt()));
          raise.addBatch();
        } else {
          resolve.setTimestamp(1, timestamp(a.resolvedAt()));
          resolve.setString(2, a.id().toString());
          resolve.addBatch();
        }
      }
      // Resolutions first: a bot's old alert closes before its new one opens (one open per kind).
      resolve.executeBatch();
      raise.executeBatch();
    }
  }

  /** Inserts webhook deliveries (the delivery log and queue). */
  public void insertDeliveries(Connection connection, List<WebhookDeliveryRow> deliveries)
      throws SQLException {
    if (deliveries.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "insert into webhook_deliveries (id, webhook_id, event_type, payload)"
                + " select ?::uuid, ?::uuid, ?, ?::jsonb where exists"
                + " (select 1 from webhooks where id = ?::uuid)")) {
      for (WebhookDeliveryRow d : deliveries) {
        insert.setString(1, d.id().toString());
        insert.setString(2, d.webhookId().toString());
        insert.setString(3, d.eventType());
        insert.setString(4, d.payload());
        insert.setString(5, d.webhookId().toString());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** Wakes every replica's event feed when the transaction commits. */
  public void notifyEvents(Connection connection) throws SQLException {
    try (var notify = connection.createStatement()) {
      notify.execute("select pg_notify('health_events', '')");
    }
  }

  static List<Map<String, Object>> issueMaps(List<HealthIssue> issues) {
    List<Map<String, Object>> maps = new ArrayList<>(issues.size());
    for (HealthIssue issue : issues) {
      maps.add(
          Map.of(
              "code", issue.code(),
              "critical", issue.critical(),
              "value", issue.value(),
              "threshold", issue.threshold(),
              "text", issue.text()));
    }
    return maps;
  }

  private String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not serializable to JSON", e);
    }
  }

  static Timestamp timestamp(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  /** A PostgreSQL array literal of strings, each quoted. */
  private static String arrayLiteral(List<String> values) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return out.append('}').toString();
  }

  /** COPY text format: backslash, tab, newline and carriage return are escaped. */
  private static String escape(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
