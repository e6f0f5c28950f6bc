package io.botfleet.fleet.service;

import static io.botfleet.devkit.StatusDetails.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.botfleet.devkit.GreenHelixTestResource;
import io.botfleet.devkit.PostgresTestResource;
import io.botfleet.fleet.FleetTestSupport;
import io.botfleet.fleet.TestBot;
import io.botfleet.fleet.fakes.FakeServicesTestResource;
import io.botfleet.fleet.v1.AckState;
import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.BotCommand;
import io.botfleet.fleet.v1.DeliveryState;
import io.botfleet.fleet.v1.GetCommandStatusResponse;
import io.botfleet.fleet.v1.ListEventsRequest;
import io.botfleet.fleet.v1.SendCommandRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The command retention purge against real PostgreSQL: commands are issued through the API, made
 * older than the retention (90 days by default) with SQL, and purged.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(GreenHelixTestResource.class)
@QuarkusTestResource(FakeServicesTestResource.class)
class CommandRetentionTest extends FleetTestSupport {

  @Inject CommandRetention retention;
  @Inject DataSource dataSource;

  @Test
  void oldFinishedCommandsGoWhileOpenUnmirroredFailoverAndRecentOnesStay() throws SQLException {
    String group = "retention-" + unique();
    Bot online = register(group, "okx");
    Bot offline = register(group, "okx");

    String done;
    String mixed;
    String recent;
    try (TestBot stream = connect(online)) {
      stream.autoAck(AckState.ACK_STATE_DONE);
      done = send("refresh", online.getId());
      // Done by the connected bot, still pending (open, unexpired) for the other one.
      mixed = send("rebalance", online.getId(), offline.getId());
      recent = send("refresh_recent", online.getId());
      awaitState(done, DeliveryState.DELIVERY_STATE_DONE);
      awaitState(recent, DeliveryState.DELIVERY_STATE_DONE);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> status(mixed).getCommand().getDeliveryCountsMap().containsKey("done"));
    }
    // Never delivered; past their expiry they read as EXPIRED: finished.
    String expired = send("set_param", offline.getId());
    String unmirrored = send("set_param_unmirrored", offline.getId());
    String failover = send("assume_responsibility_like", offline.getId());
    List<String> all = List.of(done, mixed, recent, expired, unmirrored, failover);
    // The purge only ever looks at mirrored commands: wait for the mirror, so that the one
    // unmirrored below is kept for that reason alone.
    await().atMost(Duration.ofSeconds(10)).until(() -> allMirrored(all));

    try (Connection mirrorLock = dataSource.getConnection()) {
      // Hold the mirror's lock, so the command made unmirrored stays so during the test.
      execute(mirrorLock, "select pg_advisory_lock(hashtext('fleet_command_mirror'))");
      for (String id : List.of(done, mixed, expired, unmirrored, failover)) {
        update("update commands set created_at = created_at - interval '91 days' where id = ?", id);
      }
      for (String id : List.of(expired, unmirrored, failover)) {
        update(
            "update command_deliveries set expires_at = now() - interval '90 days'"
                + " where command_id = ?",
            id);
      }
      update("update commands set mirrored = false where id = ?", unmirrored);
      update(
          "insert into failovers (id, dead_bot_id, replacement_bot_id, bot_group, exchange,"
              + " reconcile_positions, automatic, command_id, initiated_by, dead_at)"
              + " values (gen_random_uuid(), '"
              + online.getId()
              + "', '"
              + offline.getId()
              + "', '"
              + group
              + "', 'okx', false, false, ?, 'test', now() - interval '91 days')",
          failover);

      CommandRetention.Purged first = retention.purge();
      CommandRetention.Purged second = retention.purge();

      // (What the first deleted is checked row by row below: housekeeping may have purged too.)
      assertThat(first.finished()).isTrue();
      // Twice is harmless: nothing more to delete, nothing kept lost.
      assertThat(second).isEqualTo(new CommandRetention.Purged(0, 0, true));

      // Old and finished: the deliveries and the command are gone; the status says NOT_FOUND.
      for (String id : List.of(done, expired)) {
        assertThat(commandExists(id)).as(id).isFalse();
        assertThat(deliveries(id)).as(id).isEmpty();
        assertThatThrownBy(() -> status(id))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> {
                  assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                  assertThat(errorInfo(e).getReason()).isEqualTo("COMMAND_NOT_FOUND");
                  assertThat(errorInfo(e).getMetadataMap()).containsEntry("command_id", id);
                });
      }
      // Old with a delivery still open: the finished delivery goes, the open one and the command
      // stay.
      assertThat(commandExists(mixed)).isTrue();
      assertThat(deliveries(mixed)).containsExactly(offline.getId() + ":PENDING");
      GetCommandStatusResponse kept = status(mixed);
      assertThat(kept.getCommand().getDeliveryCountsMap()).containsExactly(Map.entry("pending", 1));
      // Recent, unmirrored, a failover's: untouched.
      assertThat(deliveries(recent)).containsExactly(online.getId() + ":DONE");
      assertThat(deliveries(unmirrored)).containsExactly(offline.getId() + ":PENDING");
      assertThat(deliveries(failover)).containsExactly(offline.getId() + ":PENDING");
      assertThat(commandExists(unmirrored)).isTrue();
      assertThat(commandExists(failover)).isTrue();

      update("update commands set mirrored = true where id = ?", unmirrored);
      execute(mirrorLock, "select pg_advisory_unlock(hashtext('fleet_command_mirror'))");
    }

    // The audit trail keeps the purged command's event.
    assertThat(
            fleet(viewer())
                .listEvents(
                    ListEventsRequest.newBuilder()
                        .setBotId(online.getId())
                        .addTypes("fleet.command_issued")
                        .setPageSize(1000)
                        .build())
                .getEventsList())
        .anySatisfy(
            e ->
                assertThat(e.getPayload().getFieldsMap().get("command_id").getStringValue())
                    .isEqualTo(done));
    // The kept open delivery still reaches its bot.
    try (TestBot stream = connect(offline)) {
      BotCommand next = stream.next();
      assertThat(next.getCommandId()).isEqualTo(mixed);
      stream.expectNothing(Duration.ofMillis(300));
    }
  }

  /**
   * A backlog bigger than one delete (10,000 deliveries) and one step (1,000 commands) is worked
   * off statement by statement; a purge out of time stops between statements and the next one goes
   * on; an open delivery found several steps in is kept.
   */
  @Test
  void aLargeBacklogIsPurgedInBoundedStatementsAcrossPasses() throws SQLException {
    String tag = "synthetic_" + unique();
    UUID big = UUID.randomUUID();
    UUID open = UUID.randomUUID();
    String insertCommand =
        "insert into commands (id, type, payload, scope, issued_by, created_at, expires_at,"
            + " target_count, mirrored) select %s, ?, '{}', '{}', 'test', %s,"
            + " now() - interval '90 days', 1, true from generate_series(1, %d) g";
    String insertDeliveries =
        "insert into command_deliveries (command_id, bot_id, sequence, state, priority,"
            + " expires_at) select %s, ? || '-' || g, 1, '%s', false, %s"
            + " from generate_series(1, %d) g";
    try (Connection connection = dataSource.getConnection()) {
      // The oldest: one command to 25,000 bots, all done.
      run(
          connection,
          String.format(insertCommand, "?", "now() - interval '101 days'", 1),
          big,
          tag);
      run(
          connection,
          String.format(insertDeliveries, "?", "DONE", "now() - interval '100 days'", 25_000),
          big,
          tag + "-big");
      // 2,500 commands of one delivery each, finished.
      run(
          connection,
          String.format(
              insertCommand,
              "gen_random_uuid()",
              "now() - interval '100 days' + g * interval '1 second'",
              2_500),
          tag);
      run(
          connection,
          "insert into command_deliveries (command_id, bot_id, sequence, state, priority,"
              + " expires_at) select id, ? || '-' || id, 1, 'REJECTED', false, expires_at"
              + " from commands where type = ? and id <> ?",
          tag + "-small",
          tag,
          big);
      // The newest of them, in the third step: one delivery still open.
      run(
          connection,
          String.format(insertCommand, "?", "now() - interval '95 days'", 1),
          open,
          tag);
      run(
          connection,
          String.format(insertDeliveries, "?", "PENDING", "now() + interval '1 day'", 1),
          open,
          tag + "-open");
    }

    retention.running.lock();
    try {
      // Out of time from the start: one statement each, then they stop.
      assertThat(retention.purge(Instant.now()))
          .isEqualTo(new CommandRetention.Purged(10_000, 0, false));
      assertThat(retention.purge(Instant.now()))
          .isEqualTo(new CommandRetention.Purged(10_000, 0, false));
      CommandRetention.Purged rest = retention.purge();
      assertThat(rest.finished()).isTrue();
      assertThat(rest.deliveries()).isGreaterThanOrEqualTo(5_000 + 2_500);
      assertThat(rest.commands()).isGreaterThanOrEqualTo(2_501);
    } finally {
      retention.running.unlock();
    }
    assertThat(count("select count(*) from commands where type = ?", tag)).isEqualTo(1);
    assertThat(commandExists(open.toString())).isTrue();
    assertThat(count("select count(*) from command_deliveries where bot_id like ? || '%'", tag))
        .isEqualTo(1);
    assertThat(deliveries(open.toString())).containsExactly(tag + "-open-1:PENDING");
  }

  private String send(String type, String... botIds) {
    return fleet(operator())
        .sendCommand(
            SendCommandRequest.newBuilder()
                .setScope(bots(botIds))
                .setType(type)
                .setRequestId(requestId())
                .build())
        .getCommand()
        .getId();
  }

  private void run(Connection connection, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      statement.executeUpdate();
    }
  }

  private long count(String sql, String parameter) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, parameter);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private boolean allMirrored(List<String> ids) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "select count(*) from commands where mirrored and id = any(?::uuid[])")) {
      select.setArray(
          1, connection.createArrayOf("uuid", ids.stream().map(UUID::fromString).toArray()));
      try (ResultSet row = select.executeQuery()) {
        return row.next() && row.getInt(1) == ids.size();
      }
    }
  }

  private boolean commandExists(String id) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement("select 1 from commands where id = ?")) {
      select.setObject(1, UUID.fromString(id));
      try (ResultSet row = select.executeQuery()) {
        return row.next();
      }
    }
  }

  /** The command's stored deliveries as "bot:STATE" (the stored state, not the one read). */
  private List<String> deliveries(String id) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "select bot_id, state from command_deliveries where command_id = ?"
                    + " order by bot_id")) {
      select.setObject(1, UUID.fromString(id));
      List<String> found = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          found.add(rows.getString(1) + ":" + rows.getString(2));
        }
      }
      return found;
    }
  }

  private void update(String sql, String commandId) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setObject(1, UUID.fromString(commandId));
      statement.executeUpdate();
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet ignored = statement.executeQuery()) {
      // advisory lock functions answer a row
    }
  }
}
