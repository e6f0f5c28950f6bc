package io.botfleet.sdk;

import io.botfleet.fleet.v1.AckState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What this bot did with each command sequence, so that a command delivered again (after a
 * reconnect, or after a restart when kept on disk) is answered from here and never applied twice.
 * The last {@value #RETAINED} sequences are kept; older ones are forgotten (the control plane
 * delivers in order, so a sequence that old is never delivered again).
 *
 * <p>On disk, one line per sequence, rewritten atomically at each change:
 *
 * <pre>
 * agent_id=bot-…
 * floor=0
 * 12	3f1c…	pause	DONE	&lt;base64url message&gt;
 * </pre>
 */
final class CommandJournal {

  static final int RETAINED = 1000;

  private static final System.Logger LOG = System.getLogger(CommandJournal.class.getName());

  /** Where a sequence stands. */
  enum State {
    /** Handed to the handler; no outcome recorded (if read back from disk: interrupted). */
    STARTED,
    /** Acknowledged DONE. */
    DONE,
    /** Acknowledged FAILED. */
    FAILED,
    /** Acknowledged REJECTED. */
    REJECTED;

    AckState ackState() {
      return switch (this) {
        case STARTED -> AckState.ACK_STATE_ACCEPTED;
        case DONE -> AckState.ACK_STATE_DONE;
        case FAILED -> AckState.ACK_STATE_FAILED;
        case REJECTED -> AckState.ACK_STATE_REJECTED;
      };
    }

    static State of(AckState state) {
      return switch (state) {
        case ACK_STATE_DONE -> DONE;
        case ACK_STATE_FAILED -> FAILED;
        case ACK_STATE_REJECTED -> REJECTED;
        default -> STARTED;
      };
    }
  }

  /**
   * One sequence.
   *
   * @param sequence the bot's command sequence
   * @param commandId the command id
   * @param type the command type
   * @param state where it stands
   * @param message the message sent with a FAILED or REJECTED ack
   */
  record Entry(long sequence, String commandId, String type, State state, String message) {}

  private final Path file;
  private final String agentId;
  private final TreeMap<Long, Entry> entries = new TreeMap<>();
  private long floor;

  private CommandJournal(Path file, String agentId) {
    this.file = file;
    this.agentId = agentId;
  }

  /** A journal in memory only: commands are never applied twice while this process lives. */
  static CommandJournal inMemory(String agentId) {
    return new CommandJournal(null, agentId);
  }

  /**
   * A journal kept in {@code file}, read back if it exists and belongs to {@code agentId}; a
   * journal of another identity (the key file was replaced) is set aside as {@code .old}.
   */
  static CommandJournal onDisk(Path file, String agentId) {
    CommandJournal journal = new CommandJournal(file, agentId);
    try {
      if (Files.exists(file)) {
        if (!journal.read()) {
          Files.move(
              file,
              file.resolveSibling(file.getFileName() + ".old"),
              StandardCopyOption.REPLACE_EXISTING);
          journal.entries.clear();
          journal.floor = 0;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the command journal " + file, e);
    }
    return journal;
  }

  /** The entry of a sequence, if known. */
  synchronized Optional<Entry> find(long sequence) {
    return Optional.ofNullable(entries.get(sequence));
  }

  /** True if the sequence is older than anything kept (and was therefore seen long ago). */
  synchronized boolean forgotten(long sequence) {
    return sequence <= floor;
  }

  /** Records (and persists) that a command is being handed to the handler. */
  synchronized void started(long sequence, String commandId, String type) {
    put(new Entry(sequence, commandId, type, State.STARTED, ""));
  }

  /** Records (and persists) a command's outcome, before its ack is sent. */
  synchronized void finished(
      long sequence, String commandId, String type, State state, String message) {
    put(new Entry(sequence, commandId, type, state, message == null ? "" : message));
  }

  private void put(Entry entry) {
    entries.put(entry.sequence(), entry);
    while (entries.size() > RETAINED) {
      floor = Math.max(floor, entries.pollFirstEntry().getKey());
    }
    write();
  }

  private void write() {
    if (file == null) {
      return;
    }
    StringBuilder text = new StringBuilder();
    text.append("agent_id=").append(agentId).append('\n');
    text.append("floor=").append(floor).append('\n');
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    for (Map.Entry<Long, Entry> item : entries.entrySet()) {
      Entry entry = item.getValue();
      text.append(entry.sequence())
          .append('\t')
          .append(entry.commandId())
          .append('\t')
          .append(entry.type())
          .append('\t')
          .append(entry.state())
          .append('\t')
          .append(encoder.encodeToString(entry.message().getBytes(StandardCharsets.UTF_8)))
          .append('\n');
    }
    try {
      Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // The entries in memory stay right, so nothing is applied twice while this process lives;
      // only a restart could repeat a command. Never let a full disk stop an emergency stop.
      LOG.log(System.Logger.Level.ERROR, "Cannot write the command journal " + file, e);
    }
  }

  /** Reads the file; false if it belongs to another identity. */
  private boolean read() throws IOException {
    Base64.Decoder decoder = Base64.getUrlDecoder();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("agent_id=")) {
        if (!line.substring("agent_id=".length()).equals(agentId)) {
          return false;
        }
      } else if (line.startsWith("floor=")) {
        floor = Long.parseLong(line.substring("floor=".length()).trim());
      } else {
        String[] fields = line.split("\t", -1);
        if (fields.length != 5) {
          throw new IOException("malformed line in " + file + ": " + line);
        }
        long sequence = Long.parseLong(fields[0]);
        entries.put(
            sequence,
            new Entry(
                sequence,
                fields[1],
                fields[2],
                State.valueOf(fields[3]),
                new String(decoder.decode(fields[4]), StandardCharsets.UTF_8)));
      }
    }
    return true;
  }
}
