package io.botfleet.fleet.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.UUID;
import javax.sql.DataSource;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesTestResource.class)
class DatabaseSessionTest {

  @Inject DataSource dataSource;
  @Inject EntityManager entityManager;

  /**
   * The command path binds arrays of 1 to 10,000 bot ids: a generic plan cached for another size,
   * or while the tables were empty, made the first fleet-wide stops after a start record their
   * acknowledgements in 5 to 20 s instead of a fraction of one (bench/README.md).
   */
  @Test
  void everyConnectionPlansStatementsForTheirActualArguments() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet setting = statement.executeQuery("show plan_cache_mode")) {
      assertThat(setting.next()).isTrue();
      assertThat(setting.getString(1)).isEqualTo("force_custom_plan");
    }
  }

  /**
   * A batch of 5,000 acknowledgements finds its deliveries through the command's index: planned on
   * the bots alone it scanned the whole deliveries table, which keeps every command ever issued.
   */
  @Test
  void aBatchOfAcknowledgementsReadsOnlyTheDeliveriesOfItsCommand() {
    UUID command = UUID.randomUUID();
    String plan =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  return entityManager
                      .unwrap(Session.class)
                      .doReturningWork(
                          connection -> {
                            try (PreparedStatement explain =
                                connection.prepareStatement(
                                    "explain " + CommandRepository.RECORD_ACKS)) {
                              int n = 5000;
                              explain.setArray(
                                  1,
                                  connection.createArrayOf(
                                      "text", Collections.nCopies(n, "bot-x").toArray()));
                              explain.setArray(
                                  2,
                                  connection.createArrayOf(
                                      "bigint", Collections.nCopies(n, 1L).toArray()));
                              explain.setArray(
                                  3,
                                  connection.createArrayOf(
                                      "uuid", Collections.nCopies(n, command).toArray()));
                              explain.setArray(
                                  4,
                                  connection.createArrayOf(
                                      "text", Collections.nCopies(n, "DONE").toArray()));
                              explain.setArray(
                                  5,
                                  connection.createArrayOf(
                                      "text", Collections.nCopies(n, "").toArray()));
                              explain.setArray(
                                  6, connection.createArrayOf("uuid", new Object[] {command}));
                              StringBuilder lines = new StringBuilder();
                              try (ResultSet rows = explain.executeQuery()) {
                                while (rows.next()) {
                                  lines.append(rows.getString(1)).append('\n');
                                }
                              }
                              return lines.toString();
                            }
                          });
                });

    assertThat(plan)
        .contains("command_deliveries_command_id_bot_id_key")
        .doesNotContain("Seq Scan on command_deliveries");
  }
}
