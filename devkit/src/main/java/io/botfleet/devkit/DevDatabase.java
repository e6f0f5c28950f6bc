package io.botfleet.devkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The local PostgreSQL of {@code ./fleet up}: an embedded server whose data stays in a directory
 * between runs, listening on a fixed loopback port, with a {@code botfleet} database. It runs in
 * the foreground until the process is stopped (SIGTERM stops the server cleanly).
 *
 * <p>Usage: {@code DevDatabase <data directory> <port>}
 */
public final class DevDatabase {

  private DevDatabase() {}

  private static void createDatabaseIfMissing(String adminUrl, String name) {
    try (var connection = java.sql.DriverManager.getConnection(adminUrl, "postgres", "");
        var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
      exists.setString(1, name);
      if (!exists.executeQuery().next()) {
        try (var create = connection.createStatement()) {
          create.execute("create database " + name);
        }
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot create the " + name + " database", e);
    }
  }

  /** Starts the server and blocks. */
  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: DevDatabase <data directory> <port>");
      System.exit(2);
    }
    Path directory = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    Files.createDirectories(directory);
    EmbeddedPostgres server =
        EmbeddedPostgres.builder()
            .setDataDirectory(directory)
            .setCleanDataDirectory(false)
            .setPort(port)
            // The library's 10 s is not always enough for a first initdb on a loaded machine.
            .setPGStartupWait(Duration.ofSeconds(60))
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setServerConfig("max_connections", "300")
            .start();
    String admin = server.getJdbcUrl("postgres", "postgres");
    createDatabaseIfMissing(admin, "botfleet");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.close();
                  } catch (IOException e) {
                    System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
                  }
                  stopped.countDown();
                }));
    System.out.println("PostgreSQL ready on 127.0.0.1:" + port + " (data in " + directory + ")");
    stopped.await();
  }
}
