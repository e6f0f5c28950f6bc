package io.botfleet.fleet.service;

import io.botfleet.fleet.domain.OutgoingCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * One bot's command stream on this replica, and where it stands: every command up to {@link
 * #cursor} has been sent or is known not to need sending. Commands arrive from three places (the
 * backlog read at connection, commands issued here, commands announced by other replicas); a bot's
 * sequence numbers are handed out in commit order, so a command numbered cursor + 1 can go at once,
 * and a gap means something committed that this replica has not seen yet: it is read from the
 * database before anything after it is sent. All methods are called under the connection's lock.
 */
public final class BotConnection {

  /** Emergency stops first, then sequence order. */
  private static final Comparator<OutgoingCommand> ORDER =
      Comparator.comparing((OutgoingCommand c) -> !c.priority())
          .thenComparingLong(OutgoingCommand::sequence);

  final String botId;
  final CommandSink sink;

  private long cursor;
  private long syncUpTo;
  private boolean syncing = true;
  private boolean closed;
  private final List<OutgoingCommand> arrivedWhileSyncing = new ArrayList<>();
  private final PriorityQueue<OutgoingCommand> queued = new PriorityQueue<>(ORDER);

  BotConnection(String botId, CommandSink sink) {
    this.botId = botId;
    this.sink = sink;
  }

  /** What the connection needs done after an offer. */
  enum Next {
    /** Nothing more. */
    NONE,
    /** Read (cursor, upTo] from the database, then {@link #synced}. */
    SYNC
  }

  /**
   * A command for this bot arrived. Returns SYNC (with {@link #syncUpTo}) if it shows a gap that
   * must be read from the database first.
   */
  Next offer(OutgoingCommand command, DeliveryWriter writer) {
    if (closed) {
      return Next.NONE;
    }
    if (syncing) {
      arrivedWhileSyncing.add(command);
      return Next.NONE;
    }
    if (command.sequence() <= cursor) {
      return Next.NONE;
    }
    if (command.sequence() == cursor + 1) {
      cursor = command.sequence();
      enqueue(command, writer);
      return Next.NONE;
    }
    syncing = true;
    syncUpTo = command.sequence();
    arrivedWhileSyncing.add(command);
    return Next.SYNC;
  }

  /** The sequence a pending sync must read up to. */
  long syncUpTo() {
    return syncUpTo;
  }

  /** The cursor a sync reads after. */
  long cursor() {
    return cursor;
  }

  /**
   * Starts a sync up to {@code upTo} (a periodic check found the database ahead); false if busy.
   */
  boolean startSync(long upTo) {
    if (closed || syncing || upTo <= cursor) {
      return false;
    }
    syncing = true;
    syncUpTo = upTo;
    return true;
  }

  /**
   * The database's answer to a sync (or the backlog at connection): the open commands in (cursor,
   * upTo], in the order to send them. Commands that arrived meanwhile follow. Returns SYNC if
   * another gap showed up.
   */
  Next synced(List<OutgoingCommand> open, long upTo, DeliveryWriter writer) {
    if (closed) {
      return Next.NONE;
    }
    for (OutgoingCommand command : open) {
      if (command.sequence() > cursor) {
        enqueue(command, writer);
      }
    }
    long highest = open.stream().mapToLong(OutgoingCommand::sequence).max().orElse(0);
    cursor = Math.max(cursor, Math.max(upTo, highest));
    syncing = false;
    List<OutgoingCommand> arrived = new ArrayList<>(arrivedWhileSyncing);
    arrivedWhileSyncing.clear();
    arrived.sort(Comparator.comparingLong(OutgoingCommand::sequence));
    for (OutgoingCommand command : arrived) {
      if (offer(command, writer) == Next.SYNC) {
        // Keep the rest for after the next sync, in order.
        arrivedWhileSyncing.addAll(arrived.subList(arrived.indexOf(command) + 1, arrived.size()));
        return Next.SYNC;
      }
    }
    return Next.NONE;
  }

  private void enqueue(OutgoingCommand command, DeliveryWriter writer) {
    if (command.priority()) {
      // What was queued before an emergency stop was cancelled with it: never send it after.
      queued.removeIf(q -> !q.priority() && q.sequence() < command.sequence());
    }
    queued.add(command);
    drain(writer);
  }

  /** Writes what the stream can take now, emergency stops first. */
  void drain(DeliveryWriter writer) {
    Instant now = Instant.now();
    while (!closed && !queued.isEmpty() && sink.ready()) {
      OutgoingCommand command = queued.poll();
      if (command.expiresAt().isBefore(now)) {
        // Never delivered; the expiry sweep marks it EXPIRED.
        continue;
      }
      sink.send(command);
      writer.sent(botId, command.sequence(), command.commandId());
    }
  }

  /** The stream ended. */
  void close() {
    closed = true;
    queued.clear();
    arrivedWhileSyncing.clear();
  }

  boolean closed() {
    return closed;
  }

  boolean syncing() {
    return syncing;
  }
}
