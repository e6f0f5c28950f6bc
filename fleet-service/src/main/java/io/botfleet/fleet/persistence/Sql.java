package io.botfleet.fleet.persistence;

import jakarta.persistence.EntityManager;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Plain JDBC on the connection of the current transaction, for the statements that move thousands
 * of rows at once (one statement with arrays rather than thousands of entity writes).
 */
final class Sql {

  /** Work on a connection. */
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private Sql() {}

  static <T> T run(EntityManager entityManager, Work<T> work) {
    Session session = entityManager.unwrap(Session.class);
    // Pending entity changes first, so the statement sees them.
    session.flush();
    return session.doReturningWork(work::run);
  }

  static Array texts(Connection connection, Collection<String> values) throws SQLException {
    return connection.createArrayOf("text", values.toArray(new String[0]));
  }

  static Array longs(Connection connection, Collection<Long> values) throws SQLException {
    return connection.createArrayOf("bigint", values.toArray(new Long[0]));
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.from(instant);
  }

  static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  static void uuid(PreparedStatement statement, int index, UUID id) throws SQLException {
    statement.setObject(index, id);
  }
}
