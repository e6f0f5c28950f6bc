package io.botfleet.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * files/db-roles.sh (the roles Job and the in-cluster database's first start) run by psql against a
 * real PostgreSQL 17 that checks passwords (scram-sha-256): each service's role works in its own
 * schema and nowhere else. Needs psql 15+ on the PATH (Debian's postgresql-client, part of the
 * build machine).
 */
class DatabaseRolesScriptTest {

  private static EmbeddedPostgres postgres;
  private static Path dataDirectory;

  @BeforeAll
  static void startPostgres() throws Exception {
    assumeTrue(onPath("psql") && onPath("pg_isready"), "psql and pg_isready are not installed");
    dataDirectory = Files.createTempDirectory("botfleet-roles-pg-");
    postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(true)
            .start();
    // Passwords count for everyone but the administrator, as on a real server.
    Files.writeString(
        dataDirectory.resolve("pg_hba.conf"),
        """
        local all postgres trust
        host all postgres 127.0.0.1/32 trust
        host all postgres ::1/128 trust
        host all all 127.0.0.1/32 scram-sha-256
        host all all ::1/128 scram-sha-256
        """);
    try (Connection admin = admin("postgres");
        Statement s = admin.createStatement()) {
      s.execute("select pg_reload_conf()");
      s.execute("create database botfleet");
    }
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void eachRoleWorksInItsOwnSchemaOnly() throws Exception {
    runScript(passwords("first"));

    try (Connection fleet = as("botfleet_fleet", "fleet-first");
        Statement s = fleet.createStatement()) {
      s.execute("create table bots (id text primary key)"); // search_path: its own schema
      s.execute("insert into fleet.bots values ('bot-1')");
      assertThat(single(s, "select current_schema()")).isEqualTo("fleet");
      assertThatThrownBy(() -> s.execute("create table identity.stolen (x int)"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.execute("create table public.stray (x int)"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.execute("create schema extra"))
          .hasMessageContaining("permission denied");
    }
    try (Connection identity = as("botfleet_identity", "identity-first");
        Statement s = identity.createStatement()) {
      assertThatThrownBy(() -> s.executeQuery("select * from fleet.bots"))
          .hasMessageContaining("permission denied");
    }
  }

  @Test
  void rolesAreNotPrivileged() throws Exception {
    runScript(passwords("first"));
    try (Connection admin = admin("botfleet");
        Statement s = admin.createStatement()) {
      ResultSet rows =
          s.executeQuery(
              "select rolname, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls"
                  + " from pg_roles where rolname like 'botfleet\\_%' order by rolname");
      int count = 0;
      while (rows.next()) {
        count++;
        assertThat(
                rows.getBoolean(2)
                    || rows.getBoolean(3)
                    || rows.getBoolean(4)
                    || rows.getBoolean(5))
            .as(rows.getString(1))
            .isFalse();
      }
      assertThat(count).isEqualTo(Chart.SERVICES.size());
    }
  }

  @Test
  void runningAgainKeepsTheDataAndTakesTheNewPasswords() throws Exception {
    runScript(passwords("first"));
    try (Connection health = as("botfleet_health", "health-first");
        Statement s = health.createStatement()) {
      s.execute("create table if not exists kept (x int)");
      s.execute("insert into kept values (1)");
    }

    runScript(passwords("second"));

    assertThatThrownBy(() -> as("botfleet_health", "health-first").close())
        .hasMessageContaining("password authentication failed");
    try (Connection health = as("botfleet_health", "health-second");
        Statement s = health.createStatement()) {
      assertThat(single(s, "select count(*) from kept")).isNotEqualTo("0");
    }
  }

  @Test
  void passwordsAreDataNotSql() throws Exception {
    Map<String, String> passwords = passwords("plain");
    String tricky = "it's \"quoted\" \\ ; drop role botfleet_fleet; --";
    passwords.put("BOTFLEET_PASSWORD_BILLING", tricky);

    runScript(passwords);

    try (Connection billing = as("botfleet_billing", tricky)) {
      assertThat(billing.isValid(2)).isTrue();
    }
    as("botfleet_fleet", "fleet-plain").close();
  }

  @Test
  void aMissingPasswordStopsTheScriptAndNamesIt() throws Exception {
    Map<String, String> passwords = passwords("x");
    passwords.remove("BOTFLEET_PASSWORD_DEPLOY");

    Result result = run(passwords);

    assertThat(result.exit()).isNotZero();
    assertThat(result.output()).contains("BOTFLEET_PASSWORD_DEPLOY").contains("deploy-password");
  }

  private static Map<String, String> passwords(String suffix) {
    Map<String, String> passwords = new HashMap<>();
    for (String service : Chart.SERVICES) {
      passwords.put("BOTFLEET_PASSWORD_" + service.toUpperCase(), service + "-" + suffix);
    }
    return passwords;
  }

  private record Result(int exit, String output) {}

  private static void runScript(Map<String, String> passwords) throws Exception {
    Result result = run(passwords);
    assertThat(result.exit()).as(result.output()).isZero();
  }

  private static Result run(Map<String, String> passwords) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder("sh", Chart.DIR.resolve("files/db-roles.sh").toString())
            .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("PGHOST", "127.0.0.1");
    env.put("PGPORT", String.valueOf(postgres.getPort()));
    env.put("PGUSER", "postgres");
    env.put("PGDATABASE", "botfleet");
    env.put("BOTFLEET_SERVICES", String.join(" ", Chart.SERVICES));
    env.put("BOTFLEET_ROLE_PREFIX", "botfleet_");
    env.putAll(passwords);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }

  private static Connection admin(String database) throws SQLException {
    return DriverManager.getConnection(postgres.getJdbcUrl("postgres", database), "postgres", "");
  }

  private static Connection as(String role, String password) throws SQLException {
    String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/botfleet";
    return DriverManager.getConnection(url, role, password);
  }

  private static String single(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
