package io.botfleet.permission.persistence;

import io.botfleet.permission.domain.SuspensionMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.hibernate.Session;

/**
 * Suspends and unsuspends many bots in one statement each, with one audit event per bot written by
 * the same statement: a fleet-wide pause of 10,000 bots is a few set operations, not 10,000 round
 * trips.
 */
@ApplicationScoped
public class SuspensionQueries {

  @Inject EntityManager entityManager;

  /** A bot whose suspension changed. */
  public record Changed(String agentId, String botName) {}

  /** What a suspension records. */
  public record Details(String reason, String actor, Instant at, String commandId) {}

  /** The ids among {@code agentIds} that have an assignment. */
  public List<String> known(Collection<String> agentIds) {
    List<String> known = new ArrayList<>();
    work(
        connection -> {
          try (var query =
              connection.prepareStatement(
                  "select agent_id from assignments where agent_id = any(?::text[])")) {
            query.setArray(1, connection.createArrayOf("text", agentIds.toArray()));
            try (var rows = query.executeQuery()) {
              while (rows.next()) {
                known.add(rows.getString(1));
              }
            }
          }
        });
    return known;
  }

  /**
   * Suspends the bots that are not suspended in {@code mode} or a stronger one (an emergency stop
   * is never weakened to a pause), and appends {@code eventType} for each.
   *
   * @return the bots whose suspension changed
   */
  public List<Changed> suspend(
      Collection<String> agentIds, SuspensionMode mode, Details details, String eventType) {
    String sql =
        """
        with changed as (
          update assignments set suspension_mode = ?, suspension_reason = ?, suspended_by = ?,
                 suspended_at = ?, suspension_command_id = ?
           where agent_id = any(?::text[])
             and (suspension_mode is null or (suspension_mode = 'PAUSED' and ?::text = 'STOPPED'))
          returning agent_id, bot_name
        ), logged as (
          insert into events (id, type, agent_id, actor, payload)
          select gen_random_uuid(), ?, agent_id, ?,
                 jsonb_build_object('agent_id', agent_id, 'bot_name', bot_name, 'mode', ?::text,
                                    'reason', ?::text, 'command_id', ?::text,
                                    'suspended_by', ?::text, 'suspended_at', ?::text)
            from changed
        )
        select agent_id, bot_name from changed
        """;
    return change(
        sql,
        statement -> {
          int i = 1;
          statement.setString(i++, mode.name());
          statement.setString(i++, details.reason());
          statement.setString(i++, details.actor());
          statement.setTimestamp(i++, Timestamp.from(details.at()));
          statement.setString(i++, details.commandId());
          statement.setArray(
              i++, statement.getConnection().createArrayOf("text", agentIds.toArray()));
          statement.setString(i++, mode.name());
          statement.setString(i++, eventType);
          statement.setString(i++, details.actor());
          statement.setString(i++, mode.name());
          statement.setString(i++, details.reason());
          statement.setString(i++, details.commandId());
          statement.setString(i++, details.actor());
          statement.setString(i, details.at().toString());
        });
  }

  /**
   * Lifts the suspensions in one of {@code modes} of these bots, and appends {@code eventType} for
   * each bot whose suspension was lifted.
   */
  public List<Changed> unsuspend(
      Collection<String> agentIds, Set<SuspensionMode> modes, Details details, String eventType) {
    String sql =
        """
        with target as (
          select agent_id, suspension_mode from assignments
           where agent_id = any(?::text[]) and suspension_mode = any(?::text[])
           for update
        ), changed as (
          update assignments a set suspension_mode = null, suspension_reason = null,
                 suspended_by = null, suspended_at = null, suspension_command_id = null
            from target t
           where a.agent_id = t.agent_id
          returning a.agent_id, a.bot_name, t.suspension_mode as lifted
        ), logged as (
          insert into events (id, type, agent_id, actor, payload)
          select gen_random_uuid(), ?, agent_id, ?,
                 jsonb_build_object('agent_id', agent_id, 'bot_name', bot_name, 'lifted', lifted,
                                    'reason', ?::text, 'command_id', ?::text,
                                    'unsuspended_by', ?::text, 'unsuspended_at', ?::text)
            from changed
        )
        select agent_id, bot_name from changed
        """;
    return change(
        sql,
        statement -> {
          int i = 1;
          Connection connection = statement.getConnection();
          statement.setArray(i++, connection.createArrayOf("text", agentIds.toArray()));
          statement.setArray(
              i++,
              connection.createArrayOf("text", modes.stream().map(SuspensionMode::name).toArray()));
          statement.setString(i++, eventType);
          statement.setString(i++, details.actor());
          statement.setString(i++, details.reason());
          statement.setString(i++, details.commandId());
          statement.setString(i++, details.actor());
          statement.setString(i, details.at().toString());
        });
  }

  private List<Changed> change(String sql, Binder binder) {
    List<Changed> changed = new ArrayList<>();
    work(
        connection -> {
          try (var statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            try (var rows = statement.executeQuery()) {
              while (rows.next()) {
                changed.add(new Changed(rows.getString(1), rows.getString(2)));
              }
            }
          }
        });
    return changed;
  }

  private void work(Work work) {
    // Unflushed entity changes must reach the database before a statement that reads them.
    entityManager.flush();
    entityManager.unwrap(Session.class).doWork(work::execute);
  }

  @FunctionalInterface
  private interface Work {
    void execute(Connection connection) throws SQLException;
  }

  @FunctionalInterface
  private interface Binder {
    void bind(java.sql.PreparedStatement statement) throws SQLException;
  }
}
