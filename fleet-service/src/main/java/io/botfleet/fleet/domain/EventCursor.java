package io.botfleet.fleet.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Where a follower of the events table stands. Sequence numbers are taken when a transaction
 * inserts, not when it commits, so a later number can become visible before an earlier one: the
 * cursor keeps its floor below the first gap (re-reading from there) until the gap fills or is
 * older than {@code gapTimeoutMillis} (a rolled-back insert leaves a gap forever). Everything at or
 * below the floor has been delivered; above it, what was delivered is remembered so it is not sent
 * twice.
 */
public final class EventCursor {

  private final long gapTimeoutMillis;
  private final TreeSet<Long> deliveredAbove = new TreeSet<>();
  private long floor;
  private long gapSinceMillis = -1;

  /** A cursor after {@code floor} (0: the beginning). */
  public EventCursor(long floor, long gapTimeoutMillis) {
    this.floor = floor;
    this.gapTimeoutMillis = gapTimeoutMillis;
  }

  /** The position to read after, and to resume from: every sequence up to it was delivered. */
  public long floor() {
    return floor;
  }

  /**
   * Takes the sequences read after {@link #floor()} (ascending), returns those not delivered yet
   * (to deliver now, in order), and moves the floor.
   */
  public List<Long> accept(List<Long> read, long nowMillis) {
    List<Long> fresh = new ArrayList<>();
    for (long seq : read) {
      if (seq > floor && deliveredAbove.add(seq)) {
        fresh.add(seq);
      }
    }
    advance(nowMillis);
    return fresh;
  }

  private void advance(long nowMillis) {
    while (!deliveredAbove.isEmpty()) {
      long next = deliveredAbove.first();
      if (next == floor + 1) {
        deliveredAbove.pollFirst();
        floor = next;
        gapSinceMillis = -1;
        continue;
      }
      // A gap below the lowest delivered sequence: wait for it, up to the timeout.
      if (gapSinceMillis < 0) {
        gapSinceMillis = nowMillis;
      }
      if (nowMillis - gapSinceMillis < gapTimeoutMillis) {
        return;
      }
      floor = next - 1;
      gapSinceMillis = -1;
    }
  }
}
