package io.botfleet.fleet.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The statements of the command retention purge. Each runs in the caller's transaction and touches
 * a bounded number of rows, so no purge step holds locks for long or makes one huge transaction.
 */
@ApplicationScoped
public class CommandRetentionRepository {

  /**
   * A delivery that may still be sent or acknowledged as sent: pending or sent before its expiry
   * (past it, it reads as EXPIRED and is never sent again).
   */
  private static final String OPEN =
      "(%1$s.state in ('PENDING', 'SENT') and %1$s.expires_at > now())";

  /**
   * A command's place in creation order.
   *
   * @param createdAt when it was issued
   * @param id its id
   */
  public record Position(Instant createdAt, UUID id) {
    /** Before every command. */
    public static final Position START = new Position(Instant.EPOCH, new UUID(0, 0));
  }

  @Inject EntityManager entityManager;

  /**
   * Takes the purge's lock for this transaction if no other replica holds it (false: another one is
   * purging right now).
   */
  public boolean tryLock() {
    return Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement lock =
                  connection.prepareStatement(
                      "select pg_try_advisory_xact_lock(hashtext('fleet_command_retention'))");
              ResultSet locked = lock.executeQuery()) {
            return locked.next() && locked.getBoolean(1);
          }
        });
  }

  /**
   * Up to {@code limit} commands issued more than {@code retention} ago, after {@code after} in
   * creation order, that the purge may consider: mirrored to GreenHelix (an unmirrored command's
   * messages still have to be queued from its deliveries), and not the command of a failover (the
   * failover row references it).
   */
  public List<Position> expired(Duration retention, Position after, int limit) {
    return Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "select c.created_at, c.id from commands c"
                      + " where c.created_at < now() - cast(? as interval)"
                      + " and (c.created_at, c.id) > (?, ?) and c.mirrored"
                      + " and not exists (select 1 from failovers f where f.command_id = c.id)"
                      + " order by c.created_at, c.id limit ?")) {
            select.setString(1, interval(retention));
            // As an offset date-time: the cursor must be exact, in any time zone of the JVM.
            select.setObject(2, OffsetDateTime.ofInstant(after.createdAt(), ZoneOffset.UTC));
            select.setObject(3, after.id());
            select.setInt(4, limit);
            List<Position> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                found.add(
                    new Position(
                        rows.getObject(1, OffsetDateTime.class).toInstant(),
                        rows.getObject(2, UUID.class)));
              }
            }
            return found;
          }
        });
  }

  /**
   * Deletes up to {@code limit} deliveries of these commands that are no longer open; returns how
   * many. The deliveries are found through the (command_id, bot_id) key, and deleted by their
   * physical position; the outer condition is checked again against a row changed meanwhile.
   */
  public int deleteFinishedDeliveries(List<UUID> commandIds, int limit) {
    return Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "delete from command_deliveries d where d.ctid = any(array("
                      + "select x.ctid from command_deliveries x"
                      + " where x.command_id = any(?::uuid[]) and not "
                      + String.format(OPEN, "x")
                      + " limit ?)) and not "
                      + String.format(OPEN, "d"))) {
            delete.setArray(1, connection.createArrayOf("uuid", commandIds.toArray()));
            delete.setInt(2, limit);
            return delete.executeUpdate();
          }
        });
  }

  /**
   * Deletes those of these commands that are past the retention, mirrored, not a failover's, and
   * have no delivery left; returns how many.
   */
  public int deleteEmptyCommands(List<UUID> commandIds, Duration retention) {
    return Sql.run(
        entityManager,
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "delete from commands c where c.id = any(?::uuid[])"
                      + " and c.created_at < now() - cast(? as interval) and c.mirrored"
                      + " and not exists (select 1 from command_deliveries d"
                      + " where d.command_id = c.id)"
                      + " and not exists (select 1 from failovers f where f.command_id = c.id)")) {
            delete.setArray(1, connection.createArrayOf("uuid", commandIds.toArray()));
            delete.setString(2, interval(retention));
            return delete.executeUpdate();
          }
        });
  }

  private static String interval(Duration duration) {
    return duration.toMillis() + " milliseconds";
  }
}
