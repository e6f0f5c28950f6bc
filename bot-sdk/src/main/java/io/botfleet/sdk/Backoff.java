package io.botfleet.sdk;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the n-th retry waits a uniformly random time between 0 and
 * min(max, initial × 2^n). After a control-plane restart, thousands of bots come back spread over
 * the window instead of all at once. Not thread-safe; each stream owns one.
 */
final class Backoff {

  private final long initialMillis;
  private final long maxMillis;
  private final RandomGenerator random;
  private int attempt;

  Backoff(Duration initial, Duration max, RandomGenerator random) {
    this.initialMillis = Math.max(1, initial.toMillis());
    this.maxMillis = Math.max(initialMillis, max.toMillis());
    this.random = random;
  }

  /** The delay before the next attempt, in milliseconds; each call doubles the window. */
  long nextDelayMillis() {
    long window = initialMillis << Math.min(attempt, 30);
    if (window <= 0 || window > maxMillis) {
      window = maxMillis;
    }
    attempt++;
    return random.nextLong(window + 1);
  }

  /** Back to the first, shortest window (after a stream worked). */
  void reset() {
    attempt = 0;
  }

  /** Attempts since the last reset. */
  int attempts() {
    return attempt;
  }
}
