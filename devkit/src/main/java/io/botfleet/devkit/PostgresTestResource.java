package io.botfleet.devkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a service's Quarkus tests a fresh real PostgreSQL database ({@link TestDatabase}). Use with
 * {@code @QuarkusTestResource(PostgresTestResource.class)} (or {@code @WithTestResource}).
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    TestDatabase.Connection database = TestDatabase.create();
    return Map.of(
        "quarkus.datasource.jdbc.url", database.jdbcUrl(),
        "quarkus.datasource.username", database.user(),
        "quarkus.datasource.password", database.password());
  }

  @Override
  public void stop() {
    // The database is thrown away with the embedded server when the JVM exits.
  }
}
