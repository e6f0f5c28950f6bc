package io.botfleet.health.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botfleet.health.domain.Alert;
import io.botfleet.health.domain.AlertSeverity;
import io.botfleet.health.domain.BotSnapshot;
import io.botfleet.health.domain.HealthIssue;
import io.botfleet.health.domain.HealthStatus;
import io.botfleet.health.domain.Heartbeat;
import io.botfleet.health.domain.TrackedBot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Tracked bots and their current state ({@code tracked_bots}, {@code bot_states}). */
@ApplicationScoped
public class BotRepository {

  /**
   * A tracked bot with its stored state.
   *
   * @param bot the bot
   * @param state its state (UNKNOWN and empty for a bot that never heartbeat)
   * @param tracked false once untracked
   */
  public record StoredBot(TrackedBot bot, BotSnapshot state, boolean tracked) {}

  private static final String SELECT =
      "select t.bot_id, t.bot_name, t.bot_group, coalesce(t.exchange, ''), coalesce(t.strategy, ''),"
          + " t.standby, t.tracked_at, t.untracked_at, s.status, s.issues::text, s.status_since,"
          + " s.last_heartbeat_at, s.dead_since, s.open_alert_id, s.last_sequence, s.heartbeat_time,"
          + " s.version, s.uptime_seconds, s.latency_ms, s.pnl_usd, s.drawdown_pct, s.trade_count,"
          + " s.open_positions, s.open_orders, s.memory_mb, s.cpu_pct, s.error_count,"
          + " s.custom_metrics::text"
          + " from tracked_bots t join bot_states s on s.bot_id = t.bot_id";

  @Inject EntityManager entityManager;
  @Inject ObjectMapper json;

  /** Every tracked bot with its state. */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<StoredBot> tracked() {
    List<Object[]> rows =
        entityManager.createNativeQuery(SELECT + " where t.untracked_at is null").getResultList();
    return rows.stream().map(this::toStored).toList();
  }

  /** One bot (tracked or not any more). */
  @Transactional
  @SuppressWarnings("unchecked")
  public Optional<StoredBot> find(String botId) {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(SELECT + " where t.bot_id = :id")
            .setParameter("id", botId)
            .getResultList();
    return rows.stream().findFirst().map(this::toStored);
  }

  /** The last heartbeat times stored for these bots (any replica's writer). */
  @Transactional
  @SuppressWarnings("unchecked")
  public Map<String, Instant> lastHeartbeats(List<String> botIds) {
    Map<String, Instant> times = new HashMap<>();
    if (botIds.isEmpty()) {
      return times;
    }
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select bot_id, last_heartbeat_at from bot_states where bot_id = any(cast(:ids as text[]))"
                    + " and last_heartbeat_at is not null")
            .setParameter("ids", "{" + String.join(",", botIds) + "}")
            .getResultList();
    for (Object[] row : rows) {
      times.put((String) row[0], instant(row[1]));
    }
    return times;
  }

  /** Starts (or updates) tracking. Returns the stored bot and whether it is newly tracked. */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean track(TrackedBot bot) {
    int updated =
        entityManager
            .createNativeQuery(
                "update tracked_bots set bot_name = :name, bot_group = :grp, exchange = :exchange,"
                    + " strategy = :strategy, standby = :standby where bot_id = :id"
                    + " and untracked_at is null")
            .setParameter("id", bot.botId())
            .setParameter("name", bot.name())
            .setParameter("grp", bot.group())
            .setParameter("exchange", bot.exchange())
            .setParameter("strategy", bot.strategy())
            .setParameter("standby", bot.standby())
            .executeUpdate();
    if (updated > 0) {
      return false;
    }
    entityManager
        .createNativeQuery(
            "insert into tracked_bots (bot_id, bot_name, bot_group, exchange, strategy, standby,"
                + " tracked_at) values (:id, :name, :grp, :exchange, :strategy, :standby, :at)"
                + " on conflict (bot_id) do update set bot_name = excluded.bot_name,"
                + " bot_group = excluded.bot_group, exchange = excluded.exchange,"
                + " strategy = excluded.strategy, standby = excluded.standby,"
                + " tracked_at = excluded.tracked_at, untracked_at = null")
        .setParameter("id", bot.botId())
        .setParameter("name", bot.name())
        .setParameter("grp", bot.group())
        .setParameter("exchange", bot.exchange())
        .setParameter("strategy", bot.strategy())
        .setParameter("standby", bot.standby())
        .setParameter("at", OffsetDateTime.ofInstant(bot.trackedAt(), java.time.ZoneOffset.UTC))
        .executeUpdate();
    // A bot tracked again starts unknown: whatever it was before its untracking is history.
    entityManager
        .createNativeQuery(
            "insert into bot_states (bot_id, status_since) values (:id, :at)"
                + " on conflict (bot_id) do update set status = 'unknown', issues = '[]',"
                + " status_since = excluded.status_since, dead_since = null, open_alert_id = null")
        .setParameter("id", bot.botId())
        .setParameter("at", OffsetDateTime.ofInstant(bot.trackedAt(), java.time.ZoneOffset.UTC))
        .executeUpdate();
    return true;
  }

  /** Stops tracking; false if the bot was not tracked. */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean untrack(String botId) {
    return entityManager
            .createNativeQuery(
                "update tracked_bots set untracked_at = now() where bot_id = :id"
                    + " and untracked_at is null")
            .setParameter("id", botId)
            .executeUpdate()
        > 0;
  }

  /** The open alerts of bots, by id. */
  @Transactional
  @SuppressWarnings("unchecked")
  public Map<UUID, Alert> openAlerts() {
    List<Object[]> rows =
        entityManager
            .createNativeQuery(
                "select id, bot_id, bot_name, bot_group, kind, severity, issues, message, state,"
                    + " raised_at, resolved_at from alerts where state = 'open'")
            .getResultList();
    Map<UUID, Alert> alerts = new HashMap<>();
    for (Object[] row : rows) {
      Alert alert = AlertRepository.toAlert(row);
      alerts.put(alert.id(), alert);
    }
    return alerts;
  }

  private StoredBot toStored(Object[] r) {
    TrackedBot bot =
        new TrackedBot(
            (String) r[0],
            (String) r[1],
            (String) r[2],
            (String) r[3],
            (String) r[4],
            (Boolean) r[5],
            instant(r[6]));
    boolean tracked = r[7] == null;
    Heartbeat latest = null;
    if (r[14] != null) {
      latest =
          new Heartbeat(
              ((Number) r[14]).longValue(),
              instant(r[15]),
              (String) r[16],
              ((Number) r[17]).longValue(),
              ((Number) r[18]).doubleValue(),
              ((BigDecimal) r[19]).stripTrailingZeros().toPlainString(),
              ((Number) r[20]).doubleValue(),
              ((Number) r[21]).longValue(),
              ((Number) r[22]).intValue(),
              ((Number) r[23]).intValue(),
              ((Number) r[24]).doubleValue(),
              ((Number) r[25]).doubleValue(),
              ((Number) r[26]).longValue(),
              customMetrics((String) r[27]));
    }
    BotSnapshot state =
        new BotSnapshot(
            bot.botId(),
            HealthStatus.fromDb((String) r[8]),
            issues((String) r[9]),
            instant(r[10]),
            instant(r[11]),
            instant(r[12]),
            r[13] == null ? null : (UUID) r[13],
            latest);
    return new StoredBot(bot, state, tracked);
  }

  private List<HealthIssue> issues(String text) {
    if (text == null || text.equals("[]")) {
      return List.of();
    }
    try {
      List<Map<String, Object>> maps = json.readValue(text, new TypeReference<>() {});
      List<HealthIssue> issues = new ArrayList<>(maps.size());
      for (Map<String, Object> m : maps) {
        issues.add(
            new HealthIssue(
                (String) m.get("code"),
                (Boolean) m.get("critical"),
                ((Number) m.get("value")).doubleValue(),
                ((Number) m.get("threshold")).doubleValue(),
                (String) m.get("text")));
      }
      return List.copyOf(issues);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("unreadable issues in bot_states", e);
    }
  }

  private Map<String, Double> customMetrics(String text) {
    if (text == null) {
      return Map.of();
    }
    try {
      return Map.copyOf(json.readValue(text, new TypeReference<Map<String, Double>>() {}));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("unreadable custom metrics in bot_states", e);
    }
  }

  static Instant instant(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (value instanceof Timestamp t) {
      return t.toInstant();
    }
    throw new IllegalArgumentException("not a time: " + value.getClass());
  }

  static List<String> strings(Object array) {
    if (array == null) {
      return List.of();
    }
    if (array instanceof String[] s) {
      return List.of(s);
    }
    if (array instanceof Object[] o) {
      return Arrays.stream(o).map(String::valueOf).toList();
    }
    if (array instanceof java.sql.Array a) {
      try {
        return List.of((String[]) a.getArray());
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalArgumentException("not a text array: " + array.getClass());
  }

  static AlertSeverity severity(Object value) {
    return AlertSeverity.fromDb((String) value);
  }
}
