package io.botfleet.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void windowsDoubleUpToTheCapAndEveryDelayIsJitteredInsideItsWindow() {
    Backoff backoff =
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(3), new SplittableRandom(7));
    long[] windows = {100, 200, 400, 800, 1600, 3000, 3000, 3000};
    for (long window : windows) {
      assertThat(backoff.nextDelayMillis()).isBetween(0L, window);
    }
  }

  @Test
  void fullJitterSpreadsManyBotsOverTheWholeWindow() {
    // 10,000 bots reconnecting at their 5th attempt: delays spread over [0, 1600] ms, not bunched.
    long[] delays =
        LongStream.range(0, 10_000)
            .map(
                i -> {
                  Backoff backoff =
                      new Backoff(
                          Duration.ofMillis(100), Duration.ofSeconds(30), new SplittableRandom(i));
                  for (int n = 0; n < 4; n++) {
                    backoff.nextDelayMillis();
                  }
                  return backoff.nextDelayMillis();
                })
            .toArray();
    long firstQuarter = LongStream.of(delays).filter(d -> d < 400).count();
    long lastQuarter = LongStream.of(delays).filter(d -> d >= 1200).count();
    assertThat(firstQuarter).isBetween(2000L, 3000L);
    assertThat(lastQuarter).isBetween(2000L, 3000L);
    assertThat(LongStream.of(delays).max().getAsLong()).isLessThanOrEqualTo(1600);
  }

  @Test
  void resetStartsOverFromTheFirstWindow() {
    Backoff backoff =
        new Backoff(Duration.ofMillis(50), Duration.ofSeconds(30), new SplittableRandom(1));
    for (int i = 0; i < 10; i++) {
      backoff.nextDelayMillis();
    }
    backoff.reset();
    assertThat(backoff.attempts()).isZero();
    assertThat(backoff.nextDelayMillis()).isBetween(0L, 50L);
  }
}
