package io.botfleet.health.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Dead-bot deadlines, earliest first, with lazy updates: a heartbeat moves a bot's deadline later
 * without touching the queue (10,000 bots at one heartbeat per second would otherwise mean 10,000
 * queue updates per second); when an entry falls due, the owner compares it with the bot's real
 * deadline and schedules it again if it moved. So a bot costs one queue operation per threshold,
 * not per heartbeat. Not thread-safe: one sweeper thread owns it.
 */
public final class DeadlineQueue {

  private record Entry(long due, String botId) {}

  private final PriorityQueue<Entry> heap =
      new PriorityQueue<>(Comparator.comparingLong(Entry::due));
  private final Map<String, Long> queued = new HashMap<>();

  /**
   * Schedules a check of {@code botId} at {@code due} (epoch ms) unless one at or before it is
   * queued. Returns true if this is now the earliest check of that bot.
   */
  public boolean schedule(String botId, long due) {
    Long current = queued.get(botId);
    if (current != null && current <= due) {
      return false;
    }
    queued.put(botId, due);
    heap.add(new Entry(due, botId));
    return true;
  }

  /** Forgets a bot (untracked, dead, standby). */
  public void remove(String botId) {
    queued.remove(botId);
  }

  /** Removes and returns the bots whose check is due at {@code now} (epoch ms). */
  public List<String> pollDue(long now) {
    List<String> due = new ArrayList<>();
    while (!heap.isEmpty() && heap.peek().due() <= now) {
      Entry entry = heap.poll();
      Long current = queued.get(entry.botId());
      if (current != null && current == entry.due()) {
        queued.remove(entry.botId());
        due.add(entry.botId());
      }
    }
    return due;
  }

  /** When the earliest check is due (epoch ms), or Long.MAX_VALUE if none. */
  public long nextDue() {
    while (!heap.isEmpty()) {
      Entry head = heap.peek();
      Long current = queued.get(head.botId());
      if (current != null && current == head.due()) {
        return head.due();
      }
      heap.poll();
    }
    return Long.MAX_VALUE;
  }

  /** Bots with a check queued. */
  public int size() {
    return queued.size();
  }

  /** Forgets everything. */
  public void clear() {
    heap.clear();
    queued.clear();
  }
}
