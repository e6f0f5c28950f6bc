package io.botfleet.fleet.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesTestResource.class)
class DatabaseSessionTest {

  @Inject DataSource dataSource;

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
}
