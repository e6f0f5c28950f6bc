package io.botfleet.devkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

/**
 * A real PostgreSQL for tests: the server named by BOTFLEET_TEST_DB_URL (with _USER and _PASSWORD),
 * else an embedded PostgreSQL run from Maven artifacts, started once per JVM. Each {@link
 * #create()} makes a fresh, empty database on it, so test runs never see each other's data.
 */
public final class TestDatabase {

  /**
   * Connection facts of one test database.
   *
   * @param jdbcUrl its JDBC URL
   * @param user the user
   * @param password the password
   */
  public record Connection(String jdbcUrl, String user, String password) {}

  private static EmbeddedPostgres embedded;

  private TestDatabase() {}

  /** Creates a fresh database and returns how to reach it. */
  public static synchronized Connection create() {
    String external = System.getenv("BOTFLEET_TEST_DB_URL");
    String name = "botfleet_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    if (external != null && !external.isBlank()) {
      String user = envOr("BOTFLEET_TEST_DB_USER", "postgres");
      String password = envOr("BOTFLEET_TEST_DB_PASSWORD", "");
      execute(external, user, password, "create database " + name);
      return new Connection(replaceDatabase(external, name), user, password);
    }
    EmbeddedPostgres server = embedded();
    String admin = server.getJdbcUrl("postgres", "postgres");
    execute(admin, "postgres", "", "create database " + name);
    return new Connection(server.getJdbcUrl("postgres", name), "postgres", "");
  }

  private static EmbeddedPostgres embedded() {
    if (embedded == null) {
      try {
        // The library's 10 s is not always enough for initdb on a loaded machine.
        embedded = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      embedded.close();
                    } catch (IOException e) {
                      // the JVM is exiting; the temporary directory goes with it
                    }
                  }));
    }
    return embedded;
  }

  static void execute(String url, String user, String password, String sql) {
    try (java.sql.Connection connection = DriverManager.getConnection(url, user, password);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("test database setup failed: " + sql, e);
    }
  }

  static String replaceDatabase(String jdbcUrl, String database) {
    int query = jdbcUrl.indexOf('?');
    String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    String params = query < 0 ? "" : jdbcUrl.substring(query);
    int slash = base.lastIndexOf('/');
    return base.substring(0, slash + 1) + database + params;
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? fallback : value;
  }
}
