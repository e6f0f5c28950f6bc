package io.botfleet.billing.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Work that one replica at a time must do (the daily jobs): a PostgreSQL session advisory lock held
 * on its own connection for the length of the work. A replica that dies loses its connection and
 * with it the lock, so another takes over at its next run.
 */
@ApplicationScoped
public class JobLock {

  /** Namespace of billing's advisory locks (the two-key form keeps them apart from others). */
  static final int NAMESPACE = 6006;

  @Inject AgroalDataSource dataSource;

  /** Runs {@code work} if no replica holds the lock {@code name}; false if another does. */
  public boolean runExclusively(String name, Runnable work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      if (!call(connection, "select pg_try_advisory_lock(?, hashtext(?))", name)) {
        return false;
      }
      try {
        work.run();
      } finally {
        call(connection, "select pg_advisory_unlock(?, hashtext(?))", name);
      }
      return true;
    } catch (SQLException e) {
      throw new IllegalStateException("advisory lock " + name + " failed", e);
    }
  }

  private static boolean call(Connection connection, String sql, String name) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setInt(1, NAMESPACE);
      statement.setString(2, name);
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getBoolean(1);
      }
    }
  }
}
