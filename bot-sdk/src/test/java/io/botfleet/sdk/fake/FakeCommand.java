package io.botfleet.sdk.fake;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import io.botfleet.fleet.v1.AckState;
import io.botfleet.fleet.v1.BotCommand;
import io.botfleet.fleet.v1.CommandAck;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** One command stored for one bot, as fleet-service stores it: sent until a final ack. */
public final class FakeCommand {

  final String id;
  final long sequence;
  final String type;
  final Struct payload;
  final Instant expireTime;
  final boolean priority;
  final List<CommandAck> acks = new CopyOnWriteArrayList<>();
  volatile int deliveries;

  FakeCommand(
      String id, long sequence, String type, Struct payload, Instant expireTime, boolean priority) {
    this.id = id;
    this.sequence = sequence;
    this.type = type;
    this.payload = payload;
    this.expireTime = expireTime;
    this.priority = priority;
  }

  /** The command id. */
  public String id() {
    return id;
  }

  /** The bot's sequence of it. */
  public long sequence() {
    return sequence;
  }

  /** Acks received, in order. */
  public List<CommandAck> acks() {
    return List.copyOf(acks);
  }

  /** The states of the acks received, in order. */
  public List<AckState> ackStates() {
    return acks.stream().map(CommandAck::getState).toList();
  }

  /** Forgets the acks received, as if they had been lost: the command is pending again. */
  public void forgetAcks() {
    acks.clear();
  }

  /** How often it was sent. */
  public int deliveries() {
    return deliveries;
  }

  /** True once acknowledged DONE, FAILED or REJECTED. */
  public boolean settled() {
    return acks.stream().anyMatch(ack -> ack.getState() != AckState.ACK_STATE_ACCEPTED);
  }

  /** The last ack's state, or null. */
  public AckState lastState() {
    return acks.isEmpty() ? null : acks.get(acks.size() - 1).getState();
  }

  BotCommand toProto() {
    BotCommand.Builder command =
        BotCommand.newBuilder()
            .setCommandId(id)
            .setSequence(sequence)
            .setType(type)
            .setPayload(payload)
            .setIssueTime(timestamp(Instant.now()));
    if (expireTime != null) {
      command.setExpireTime(timestamp(expireTime));
    }
    return command.build();
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
