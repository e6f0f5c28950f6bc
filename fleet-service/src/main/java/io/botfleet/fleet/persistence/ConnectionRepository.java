package io.botfleet.fleet.persistence;

import io.botfleet.fleet.domain.BotStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which replica holds which bot's command stream, and the replicas that are alive. Bots connect in
 * storms (a replica restarts, 10,000 bots reconnect), so connections are recorded in batches.
 */
@ApplicationScoped
public class ConnectionRepository {

  /** A replica not seen for this long is dead: its streams no longer count. */
  public static final String REPLICA_TIMEOUT = "30 seconds";

  @Inject EntityManager entityManager;

  /**
   * A bot that connected.
   *
   * @param botId the bot
   * @param commandSeq its last command sequence when it connected
   * @param previous its status before
   * @param status its status now (a pending bot becomes active, paused, stopped or standby)
   * @param name its name
   */
  public record Connected(
      String botId, long commandSeq, BotStatus previous, BotStatus status, String name) {}

  /**
   * Records that these bots hold their stream on {@code replica}; a bot that was pending becomes
   * what the operator last told it to be (or a standby). Deregistered bots (and ids that never were
   * bots) are not returned. A revoked bot may still connect until its identity is revoked, to
   * receive its last emergency stop (destroy_local_keys).
   */
  public List<Connected> connect(Collection<String> botIds, String replica) {
    return Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "with locked as (select id, status as previous from bots where id = any(?)"
                      + " and status <> 'DEREGISTERED' order by id for update)"
                      + " update bots b set connected_replica = ?, connected_at = now(),"
                      + " status = case when b.status = 'PENDING' then (case when b.standby and"
                      + " b.control = 'ACTIVE' then 'STANDBY' else b.control end) else b.status end,"
                      + " status_reason = case when b.status = 'PENDING' then 'connected'"
                      + " else b.status_reason end,"
                      + " status_changed_at = case when b.status = 'PENDING' then now()"
                      + " else b.status_changed_at end"
                      + " from locked where b.id = locked.id"
                      + " returning b.id, b.command_seq, locked.previous, b.status, b.name")) {
            update.setArray(1, Sql.texts(connection, botIds));
            update.setString(2, replica);
            List<Connected> connected = new ArrayList<>();
            try (ResultSet rows = update.executeQuery()) {
              while (rows.next()) {
                connected.add(
                    new Connected(
                        rows.getString(1),
                        rows.getLong(2),
                        BotStatus.valueOf(rows.getString(3)),
                        BotStatus.valueOf(rows.getString(4)),
                        rows.getString(5)));
              }
            }
            return connected;
          }
        });
  }

  /** Records that these bots' streams on {@code replica} closed. */
  public void disconnect(Collection<String> botIds, String replica) {
    if (botIds.isEmpty()) {
      return;
    }
    Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "with locked as (select id from bots where id = any(?)"
                      + " and connected_replica = ? order by id for update)"
                      + " update bots b set connected_replica = null from locked"
                      + " where b.id = locked.id")) {
            update.setArray(1, Sql.texts(connection, botIds));
            update.setString(2, replica);
            return update.executeUpdate();
          }
        });
  }

  /** The last command sequence of each of these bots. */
  public java.util.Map<String, Long> commandSeqs(Collection<String> botIds) {
    return Sql.run(
        entityManager,
        connection -> {
          java.util.Map<String, Long> seqs = new java.util.HashMap<>();
          try (PreparedStatement select =
              connection.prepareStatement("select id, command_seq from bots where id = any(?)")) {
            select.setArray(1, Sql.texts(connection, botIds));
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                seqs.put(rows.getString(1), rows.getLong(2));
              }
            }
          }
          return seqs;
        });
  }

  /** True if the bot's stream is held by a live replica. */
  public boolean connected(String botId) {
    return !connectedAmong(List.of(botId)).isEmpty();
  }

  /** The bots among these whose stream is held by a live replica. */
  public List<String> connectedAmong(Collection<String> botIds) {
    return Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "select b.id from bots b join fleet_replicas r on r.id = b.connected_replica"
                      + " where b.id = any(?) and r.seen_at > now() - interval '"
                      + REPLICA_TIMEOUT
                      + "'")) {
            select.setArray(1, Sql.texts(connection, botIds));
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                ids.add(rows.getString(1));
              }
            }
            return ids;
          }
        });
  }

  /** Says this replica is alive. */
  public void heartbeat(String replica) {
    entityManager
        .createNativeQuery(
            "insert into fleet_replicas (id) values (:id)"
                + " on conflict (id) do update set seen_at = now()")
        .setParameter("id", replica)
        .executeUpdate();
  }

  /** Forgets replicas not seen for a minute and the streams they held; returns how many. */
  public int forgetDeadReplicas() {
    entityManager
        .createNativeQuery(
            "update bots set connected_replica = null where connected_replica in"
                + " (select id from fleet_replicas where seen_at < now() - interval '1 minute')")
        .executeUpdate();
    return entityManager
        .createNativeQuery("delete from fleet_replicas where seen_at < now() - interval '1 minute'")
        .executeUpdate();
  }

  /** Removes this replica (a clean shutdown) and the streams it held. */
  public void leave(String replica) {
    entityManager
        .createNativeQuery("update bots set connected_replica = null where connected_replica = :id")
        .setParameter("id", replica)
        .executeUpdate();
    entityManager
        .createNativeQuery("delete from fleet_replicas where id = :id")
        .setParameter("id", replica)
        .executeUpdate();
  }
}
