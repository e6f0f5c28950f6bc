package io.botfleet.fleet.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.fleet.domain.OutgoingCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ordering rules of one stream, without a database or a network. */
class BotConnectionTest {

  private final List<OutgoingCommand> sent = new ArrayList<>();
  private boolean ready = true;
  private final DeliveryWriter writer = new DeliveryWriter();
  private BotConnection connection;

  @BeforeEach
  void open() {
    connection =
        new BotConnection(
            "bot-1",
            new CommandSink() {
              @Override
              public void send(OutgoingCommand command) {
                sent.add(command);
              }

              @Override
              public boolean ready() {
                return ready;
              }

              @Override
              public void refuse(String reason, String message) {}
            });
  }

  private static OutgoingCommand command(long sequence) {
    return command(sequence, false, Instant.now().plusSeconds(60));
  }

  private static OutgoingCommand command(long sequence, boolean priority, Instant expires) {
    return new OutgoingCommand(
        UUID.randomUUID(),
        sequence,
        priority ? "emergency_stop" : "pause",
        Map.of(),
        expires,
        Instant.now(),
        priority);
  }

  @Test
  void theBacklogGoesFirstAndCommandsArrivingMeanwhileFollowInOrder() {
    connection.offer(command(4), writer);
    connection.offer(command(3), writer);

    var next = connection.synced(List.of(command(1), command(2)), 2, writer);

    assertThat(next).isEqualTo(BotConnection.Next.NONE);
    assertThat(sent).extracting(OutgoingCommand::sequence).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void aGapIsReadFromTheDatabaseBeforeAnythingAfterItIsSent() {
    connection.synced(List.of(), 5, writer);

    assertThat(connection.offer(command(8), writer)).isEqualTo(BotConnection.Next.SYNC);
    assertThat(connection.syncUpTo()).isEqualTo(8);
    assertThat(connection.offer(command(9), writer)).isEqualTo(BotConnection.Next.NONE);
    assertThat(sent).isEmpty();

    // The database has 6 and 8 open (7 was acknowledged elsewhere or expired).
    connection.synced(List.of(command(6), command(8)), 8, writer);

    assertThat(sent).extracting(OutgoingCommand::sequence).containsExactly(6L, 8L, 9L);
  }

  @Test
  void duplicatesAreDropped() {
    connection.synced(List.of(command(1)), 1, writer);
    connection.offer(command(1), writer);
    connection.offer(command(2), writer);
    connection.offer(command(2), writer);

    assertThat(sent).extracting(OutgoingCommand::sequence).containsExactly(1L, 2L);
  }

  @Test
  void anEmergencyStopOvertakesWhatWaitsForFlowControlAndDropsIt() {
    connection.synced(List.of(), 0, writer);
    ready = false;
    connection.offer(command(1), writer);
    connection.offer(command(2), writer);
    connection.offer(command(3, true, Instant.now().plusSeconds(60)), writer);
    ready = true;

    connection.drain(writer);

    assertThat(sent).extracting(OutgoingCommand::sequence).containsExactly(3L);
  }

  @Test
  void anExpiredCommandIsNeverWritten() {
    connection.synced(List.of(), 0, writer);

    connection.offer(command(1, false, Instant.now().minusSeconds(1)), writer);
    connection.offer(command(2), writer);

    assertThat(sent).extracting(OutgoingCommand::sequence).containsExactly(2L);
  }
}
