package io.botfleet.fleet.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.botfleet.fleet.domain.BotStatus;
import io.botfleet.fleet.domain.Command;
import io.botfleet.fleet.domain.Control;
import io.botfleet.fleet.domain.Delivery;
import io.botfleet.fleet.domain.DeliveryState;
import io.botfleet.fleet.domain.OutgoingCommand;
import io.botfleet.fleet.domain.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Commands and their per-bot deliveries. Issuing a command to 10,000 bots is one statement: it
 * locks the targets in id order (so concurrent commands cannot deadlock), gives each the next
 * number of its own sequence, applies the status change the command implies, and inserts one
 * delivery per bot.
 */
@ApplicationScoped
public class CommandRepository {

  /** The status change a command brings to the bots it reaches. */
  public enum Transition {
    /** None. */
    NONE(null, "b.status"),
    /** Active bots become paused. */
    PAUSE(Control.PAUSED, "case when b.status = 'ACTIVE' then 'PAUSED' else b.status end"),
    /** Paused bots become active. */
    RESUME(Control.ACTIVE, "case when b.status = 'PAUSED' then 'ACTIVE' else b.status end"),
    /** Running, paused and standby bots become stopped. */
    STOP(
        Control.STOPPED,
        "case when b.status in ('ACTIVE', 'PAUSED', 'STANDBY') then 'STOPPED' else b.status end");

    private final Control control;
    private final String statusExpression;

    Transition(Control control, String statusExpression) {
      this.control = control;
      this.statusExpression = statusExpression;
    }
  }

  /**
   * Which bots of a scope a command reaches.
   *
   * @param scope the scope
   * @param statuses only bots in these statuses
   * @param control only bots the operator last told this (null: any)
   */
  public record Selection(Scope scope, Set<BotStatus> statuses, Control control) {}

  /**
   * A command to store.
   *
   * @param id its id
   * @param type its name
   * @param payload its payload
   * @param scope its scope
   * @param issuedBy who
   * @param createdAt when
   * @param expiresAt never delivered after
   * @param requestId idempotency key
   * @param priority ahead of anything queued
   */
  public record NewCommand(
      UUID id,
      String type,
      Map<String, Object> payload,
      Scope scope,
      String issuedBy,
      Instant createdAt,
      Instant expiresAt,
      String requestId,
      boolean priority) {}

  /**
   * One bot's place in a command.
   *
   * @param botId the bot
   * @param sequence its sequence number for the command
   */
  public record Target(String botId, long sequence) {}

  /**
   * An acknowledgement, or a send, to record.
   *
   * @param botId the bot
   * @param sequence the delivery's sequence
   * @param commandId the command (acks only: a bot can acknowledge only what it was sent)
   * @param state the new state
   * @param message the bot's message
   */
  public record StateChange(
      String botId, long sequence, UUID commandId, DeliveryState state, String message) {}

  /**
   * A recorded acknowledgement.
   *
   * @param botId the bot
   * @param commandId the command
   * @param type the command's name
   * @param state the state now
   * @param message the bot's message
   */
  public record RecordedAck(
      String botId, UUID commandId, String type, DeliveryState state, String message) {}

  /**
   * The state as callers see it: a delivery still pending or sent after its expiry is expired (it
   * is never sent again, and is not rewritten to say so).
   */
  private static final String STATE =
      "(case when d.state in ('PENDING', 'SENT') and d.expires_at <= now() then 'EXPIRED'"
          + " else d.state end)";

  private static final String RANK =
      "case %s when 'PENDING' then 0 when 'SENT' then 1 when 'EXPIRED' then 1"
          + " when 'CANCELLED' then 1 when 'ACCEPTED' then 2 else 3 end";

  /**
   * Acknowledgements (bot, sequence, command, state, message) applied where they move forward. The
   * deliveries are found through the commands acknowledged (the last parameter: their distinct
   * ids), whose rows an index holds together: planned for a batch of thousands, a join on the bots
   * alone scanned the whole table, which keeps every command ever issued (5,000 acks: 19 ms at
   * 10,000 or 300,000 deliveries this way, against 71 ms and growing by a scan at 300,000).
   */
  static final String RECORD_ACKS =
      "update command_deliveries d set state = u.state,"
          + " message = nullif(u.message, ''), updated_at = now(),"
          + " sent_at = coalesce(d.sent_at, now())"
          + " from unnest(?::text[], ?::bigint[], ?::uuid[], ?::text[], ?::text[])"
          + " u(bot_id, seq, command_id, state, message)"
          + " join commands c on c.id = u.command_id"
          + " where d.bot_id = u.bot_id and d.sequence = u.seq"
          + " and d.command_id = u.command_id and d.command_id = any(?::uuid[]) and "
          + String.format(RANK, "d.state")
          + " < "
          + String.format(RANK, "u.state")
          + " returning d.bot_id, d.command_id, c.type, d.state, d.message";

  @Inject EntityManager entityManager;
  @Inject ObjectMapper json;

  /**
   * Stores a command and one delivery per bot it reaches, applying its status change; returns the
   * deliveries. Must run in a transaction, which the caller commits before anything is sent.
   */
  public List<Target> insert(
      NewCommand command, Selection selection, Transition transition, String statusReason) {
    return Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "insert into commands (id, type, payload, scope, issued_by, created_at,"
                      + " expires_at, request_id, priority)"
                      + " values (?, ?, cast(? as jsonb), cast(? as jsonb), ?, ?, ?, ?, ?)")) {
            insert.setObject(1, command.id());
            insert.setString(2, command.type());
            insert.setString(3, toJson(command.payload()));
            insert.setString(4, toJson(command.scope().toMap()));
            insert.setString(5, command.issuedBy());
            insert.setTimestamp(6, Sql.timestamp(command.createdAt()));
            insert.setTimestamp(7, Sql.timestamp(command.expiresAt()));
            insert.setString(8, command.requestId());
            insert.setBoolean(9, command.priority());
            insert.executeUpdate();
          }
          List<Target> targets = new ArrayList<>();
          try (PreparedStatement fanOut =
              connection.prepareStatement(fanOutSql(selection, transition))) {
            int i = 1;
            i = bindScope(connection, fanOut, i, selection.scope());
            fanOut.setArray(
                i++,
                Sql.texts(
                    connection,
                    selection.statuses().stream().map(Enum::name).collect(Collectors.toList())));
            if (selection.control() != null) {
              fanOut.setString(i++, selection.control().name());
            }
            if (transition.control != null) {
              fanOut.setString(i++, transition.control.name());
              fanOut.setString(i++, statusReason);
            }
            fanOut.setObject(i++, command.id());
            fanOut.setBoolean(i++, command.priority());
            fanOut.setTimestamp(i, Sql.timestamp(command.expiresAt()));
            try (ResultSet rows = fanOut.executeQuery()) {
              while (rows.next()) {
                targets.add(new Target(rows.getString(1), rows.getLong(2)));
              }
            }
          }
          try (PreparedStatement count =
              connection.prepareStatement("update commands set target_count = ? where id = ?")) {
            count.setInt(1, targets.size());
            count.setObject(2, command.id());
            count.executeUpdate();
          }
          return targets;
        });
  }

  private static String fanOutSql(Selection selection, Transition transition) {
    StringBuilder set = new StringBuilder("command_seq = b.command_seq + 1");
    if (transition.control != null) {
      String status = transition.statusExpression;
      set.append(", control = ?")
          .append(", status = ")
          .append(status)
          .append(", status_reason = case when ")
          .append(status)
          .append(" <> b.status then ? else b.status_reason end")
          .append(", status_changed_at = case when ")
          .append(status)
          .append(" <> b.status then now() else b.status_changed_at end");
    }
    return "with locked as (select id from bots where "
        + scopeClause(selection.scope())
        + " and status = any(?)"
        + (selection.control() != null ? " and control = ?" : "")
        + " order by id for update),"
        + " targets as (update bots b set "
        + set
        + " from locked where b.id = locked.id returning b.id, b.command_seq)"
        + " insert into command_deliveries (command_id, bot_id, sequence, state, priority,"
        + " expires_at) select ?, id, command_seq, 'PENDING', ?, ? from targets"
        + " returning bot_id, sequence";
  }

  private static String scopeClause(Scope scope) {
    if (scope instanceof Scope.Group) {
      return "bot_group = ?";
    }
    if (scope instanceof Scope.Bots) {
      return "id = any(?)";
    }
    return "true";
  }

  private static int bindScope(Connection connection, PreparedStatement statement, int i, Scope s)
      throws SQLException {
    if (s instanceof Scope.Group g) {
      statement.setString(i++, g.group());
    } else if (s instanceof Scope.Bots b) {
      statement.setArray(i++, Sql.texts(connection, b.botIds()));
    }
    return i;
  }

  /**
   * Cancels every delivery of these bots that they have not acknowledged and that is not itself a
   * priority command: an emergency stop supersedes whatever was queued before it (a queued resume
   * must never arrive after a stop).
   */
  public int cancelSuperseded(Collection<String> botIds, String message) {
    if (botIds.isEmpty()) {
      return 0;
    }
    return Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement cancel =
              connection.prepareStatement(
                  "update command_deliveries d set state = 'CANCELLED', message = ?,"
                      + " updated_at = now() from unnest(?::text[]) t(bot_id)"
                      + " where d.bot_id = t.bot_id and d.expires_at > now()"
                      + " and d.state in ('PENDING', 'SENT') and not d.priority")) {
            cancel.setString(1, message);
            cancel.setArray(2, Sql.texts(connection, botIds));
            return cancel.executeUpdate();
          }
        });
  }

  /** Cancels every open delivery of a bot except {@code keep} (deregistration). */
  public int cancelOpen(String botId, UUID keep, String message) {
    return Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement cancel =
              connection.prepareStatement(
                  "update command_deliveries set state = 'CANCELLED', message = ?,"
                      + " updated_at = now() where bot_id = ? and expires_at > now()"
                      + " and state in ('PENDING', 'SENT')"
                      + " and command_id <> ?")) {
            cancel.setString(1, message);
            cancel.setString(2, botId);
            cancel.setObject(3, keep == null ? new UUID(0, 0) : keep);
            return cancel.executeUpdate();
          }
        });
  }

  /** The command issued with this idempotency key. */
  public Optional<Command> findByRequestId(String requestId) {
    return findWhere("request_id = ?", requestId);
  }

  /** A command with its delivery counts. */
  public Optional<Command> find(UUID id) {
    return findWhere("id = ?", id);
  }

  private Optional<Command> findWhere(String condition, Object value) {
    return Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "select id, type, payload::text, scope::text, issued_by, created_at, expires_at,"
                      + " request_id, priority, target_count from commands where "
                      + condition)) {
            select.setObject(1, value);
            try (ResultSet row = select.executeQuery()) {
              if (!row.next()) {
                return Optional.empty();
              }
              UUID id = row.getObject(1, UUID.class);
              return Optional.of(
                  new Command(
                      id,
                      row.getString(2),
                      fromJson(row.getString(3)),
                      Scope.fromMap(fromJson(row.getString(4))),
                      row.getString(5),
                      Sql.instant(row.getTimestamp(6)),
                      Sql.instant(row.getTimestamp(7)),
                      row.getString(8),
                      row.getBoolean(9),
                      row.getInt(10),
                      counts(connection, id)));
            }
          }
        });
  }

  private static Map<DeliveryState, Integer> counts(Connection connection, UUID id)
      throws SQLException {
    Map<DeliveryState, Integer> counts = new EnumMap<>(DeliveryState.class);
    try (PreparedStatement select =
        connection.prepareStatement(
            "select "
                + STATE
                + ", count(*) from command_deliveries d where d.command_id = ? group by 1")) {
      select.setObject(1, id);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          counts.put(DeliveryState.valueOf(rows.getString(1)), rows.getInt(2));
        }
      }
    }
    return counts;
  }

  /**
   * A page of a command's deliveries ordered by bot name (then id), after the position {@code
   * after} ("name\u0000id", empty for the first page).
   */
  public List<Delivery> deliveries(
      UUID commandId, Set<DeliveryState> states, int limit, String after) {
    return Sql.run(
        entityManager,
        connection -> {
          String afterName = "";
          String afterId = "";
          if (!after.isEmpty()) {
            int split = after.indexOf('\u0000');
            afterName = after.substring(0, Math.max(0, split));
            afterId = split < 0 ? "" : after.substring(split + 1);
          }
          try (PreparedStatement select =
              connection.prepareStatement(
                  "select d.command_id, d.bot_id, b.name, d.sequence, "
                      + STATE
                      + ", d.message,"
                      + " d.sent_at, d.updated_at from command_deliveries d"
                      + " join bots b on b.id = d.bot_id where d.command_id = ?"
                      + (states.isEmpty() ? "" : " and " + STATE + " = any(?)")
                      + " and (b.name, b.id) > (?, ?) order by b.name, b.id limit ?")) {
            int i = 1;
            select.setObject(i++, commandId);
            if (!states.isEmpty()) {
              select.setArray(
                  i++,
                  Sql.texts(
                      connection, states.stream().map(Enum::name).collect(Collectors.toList())));
            }
            select.setString(i++, afterName);
            select.setString(i++, afterId);
            select.setInt(i, limit);
            List<Delivery> page = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                page.add(
                    new Delivery(
                        rows.getObject(1, UUID.class),
                        rows.getString(2),
                        rows.getString(3),
                        rows.getLong(4),
                        DeliveryState.valueOf(rows.getString(5)),
                        rows.getString(6) == null ? "" : rows.getString(6),
                        Sql.instant(rows.getTimestamp(7)),
                        Sql.instant(rows.getTimestamp(8))));
              }
            }
            return page;
          }
        });
  }

  /**
   * What these bots must still receive, per bot: every open, unexpired delivery, priority first,
   * then in sequence order.
   */
  public Map<String, List<OutgoingCommand>> backlog(Collection<String> botIds) {
    return Sql.run(
        entityManager,
        connection -> {
          Map<String, List<OutgoingCommand>> backlog = new HashMap<>();
          Map<UUID, Map<String, Object>> payloads = new HashMap<>();
          try (PreparedStatement select =
              connection.prepareStatement(
                  "select d.bot_id, d.sequence, d.command_id, d.priority, d.expires_at, c.type,"
                      + " c.payload::text, c.created_at from command_deliveries d"
                      + " join commands c on c.id = d.command_id"
                      + " where d.bot_id = any(?) and d.state in ('PENDING', 'SENT')"
                      + " and d.expires_at > now()"
                      + " order by d.bot_id, d.priority desc, d.sequence")) {
            select.setArray(1, Sql.texts(connection, botIds));
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                UUID commandId = rows.getObject(3, UUID.class);
                String payload = rows.getString(7);
                backlog
                    .computeIfAbsent(rows.getString(1), b -> new ArrayList<>())
                    .add(
                        new OutgoingCommand(
                            commandId,
                            rows.getLong(2),
                            rows.getString(6),
                            payloads.computeIfAbsent(commandId, c -> fromJson(payload)),
                            Sql.instant(rows.getTimestamp(5)),
                            Sql.instant(rows.getTimestamp(8)),
                            rows.getBoolean(4)));
              }
            }
          }
          return backlog;
        });
  }

  /** A bot's open, unexpired deliveries with a sequence in (after, upTo], in sequence order. */
  public List<OutgoingCommand> openBetween(String botId, long after, long upTo) {
    return Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "select d.sequence, d.command_id, d.priority, d.expires_at, c.type,"
                      + " c.payload::text, c.created_at from command_deliveries d"
                      + " join commands c on c.id = d.command_id where d.bot_id = ?"
                      + " and d.sequence > ? and d.sequence <= ? and d.state in ('PENDING', 'SENT')"
                      + " and d.expires_at > now() order by d.sequence")) {
            select.setString(1, botId);
            select.setLong(2, after);
            select.setLong(3, upTo);
            List<OutgoingCommand> open = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                open.add(
                    new OutgoingCommand(
                        rows.getObject(2, UUID.class),
                        rows.getLong(1),
                        rows.getString(5),
                        fromJson(rows.getString(6)),
                        Sql.instant(rows.getTimestamp(4)),
                        Sql.instant(rows.getTimestamp(7)),
                        rows.getBoolean(3)));
              }
            }
            return open;
          }
        });
  }

  /** The command as sent to bots, without a sequence (0), if it exists. */
  public Optional<OutgoingCommand> outgoing(UUID commandId) {
    return Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "select type, payload::text, expires_at, created_at, priority from commands"
                      + " where id = ?")) {
            select.setObject(1, commandId);
            try (ResultSet row = select.executeQuery()) {
              if (!row.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new OutgoingCommand(
                      commandId,
                      0,
                      row.getString(1),
                      fromJson(row.getString(2)),
                      Sql.instant(row.getTimestamp(3)),
                      Sql.instant(row.getTimestamp(4)),
                      row.getBoolean(5)));
            }
          }
        });
  }

  /** Every delivery of a command. */
  public List<Target> targets(UUID commandId) {
    return Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "select bot_id, sequence from command_deliveries where command_id = ?")) {
            select.setObject(1, commandId);
            List<Target> targets = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                targets.add(new Target(rows.getString(1), rows.getLong(2)));
              }
            }
            return targets;
          }
        });
  }

  /** One delivery's state, if the bot has one for the command. */
  public Optional<DeliveryState> stateOf(UUID commandId, String botId) {
    return Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "select state from command_deliveries where command_id = ? and bot_id = ?")) {
            select.setObject(1, commandId);
            select.setString(2, botId);
            try (ResultSet row = select.executeQuery()) {
              return row.next()
                  ? Optional.of(DeliveryState.valueOf(row.getString(1)))
                  : Optional.empty();
            }
          }
        });
  }

  /**
   * Marks deliveries as sent (those still pending), found through their commands as {@link
   * #RECORD_ACKS} does.
   */
  public void recordSent(Collection<StateChange> sent) {
    if (sent.isEmpty()) {
      return;
    }
    Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "update command_deliveries d set state = 'SENT', sent_at = now(),"
                      + " updated_at = now() from unnest(?::text[], ?::bigint[]) u(bot_id, seq)"
                      + " where d.bot_id = u.bot_id and d.sequence = u.seq"
                      + " and d.command_id = any(?::uuid[]) and d.state = 'PENDING'")) {
            update.setArray(
                1, Sql.texts(connection, sent.stream().map(StateChange::botId).toList()));
            update.setArray(
                2, Sql.longs(connection, sent.stream().map(StateChange::sequence).toList()));
            update.setArray(3, commandIds(connection, sent));
            return update.executeUpdate();
          }
        });
  }

  /**
   * Records acknowledgements; a delivery only moves forward (see {@link DeliveryState#rank()}).
   * Returns those that changed something.
   */
  public List<RecordedAck> recordAcks(Collection<StateChange> acks) {
    if (acks.isEmpty()) {
      return List.of();
    }
    return Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement update = connection.prepareStatement(RECORD_ACKS)) {
            update.setArray(
                1, Sql.texts(connection, acks.stream().map(StateChange::botId).toList()));
            update.setArray(
                2, Sql.longs(connection, acks.stream().map(StateChange::sequence).toList()));
            update.setArray(
                3,
                connection.createArrayOf(
                    "uuid", acks.stream().map(StateChange::commandId).toArray()));
            update.setArray(
                4, Sql.texts(connection, acks.stream().map(a -> a.state().name()).toList()));
            update.setArray(
                5,
                Sql.texts(
                    connection,
                    acks.stream().map(a -> a.message() == null ? "" : a.message()).toList()));
            update.setArray(6, commandIds(connection, acks));
            List<RecordedAck> recorded = new ArrayList<>();
            try (ResultSet rows = update.executeQuery()) {
              while (rows.next()) {
                recorded.add(
                    new RecordedAck(
                        rows.getString(1),
                        rows.getObject(2, UUID.class),
                        rows.getString(3),
                        DeliveryState.valueOf(rows.getString(4)),
                        rows.getString(5) == null ? "" : rows.getString(5)));
              }
            }
            return recorded;
          }
        });
  }

  /**
   * The oldest command whose GreenHelix messages are not queued yet, locked (one at a time, so the
   * messages of one bot are queued in the order of its commands).
   */
  public Optional<UUID> lockOldestUnmirrored() {
    return Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement lock =
                  connection.prepareStatement(
                      "select pg_try_advisory_xact_lock(hashtext('fleet_command_mirror'))");
              ResultSet locked = lock.executeQuery()) {
            if (!locked.next() || !locked.getBoolean(1)) {
              return Optional.empty();
            }
          }
          try (PreparedStatement select =
                  connection.prepareStatement(
                      "select id from commands where not mirrored order by created_at, id limit 1");
              ResultSet row = select.executeQuery()) {
            return row.next() ? Optional.of(row.getObject(1, UUID.class)) : Optional.empty();
          }
        });
  }

  /** Marks a command's GreenHelix messages as queued. */
  public void markMirrored(UUID commandId) {
    Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement("update commands set mirrored = true where id = ?")) {
            update.setObject(1, commandId);
            return update.executeUpdate();
          }
        });
  }

  /** The distinct commands of a batch of changes (a fleet-wide command's batch: one). */
  private static Array commandIds(Connection connection, Collection<StateChange> changes)
      throws SQLException {
    return connection.createArrayOf(
        "uuid", changes.stream().map(StateChange::commandId).distinct().toArray());
  }

  private String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not serializable to JSON", e);
    }
  }

  private Map<String, Object> fromJson(String text) {
    try {
      return json.readValue(text, new TypeReference<>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is unreadable", e);
    }
  }
}
