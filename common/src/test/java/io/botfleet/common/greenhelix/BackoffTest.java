package io.botfleet.common.greenhelix;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.common.config.GreenHelixConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void retriesBackOffExponentiallyWithJitterUpToTheCap() {
    OutboxRelay relay = new OutboxRelay();
    relay.config = config(Duration.ofSeconds(1), Duration.ofMinutes(5));

    for (int i = 0; i < 200; i++) {
      assertThat(relay.backoff(1)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
      assertThat(relay.backoff(4)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
      assertThat(relay.backoff(60))
          .isBetween(Duration.ofMinutes(2).plusSeconds(30), Duration.ofMinutes(5));
    }
  }

  @Test
  void onlyMissingAnswersTimeoutsThrottlingAndServerErrorsAreRetried() {
    assertThat(new GreenHelixException(0, "down").retryable()).isTrue();
    assertThat(new GreenHelixException(429, "slow down").retryable()).isTrue();
    assertThat(new GreenHelixException(503, "outage").retryable()).isTrue();
    assertThat(new GreenHelixException(400, "bad input").retryable()).isFalse();
    assertThat(new GreenHelixException(401, "bad key").retryable()).isFalse();
  }

  static GreenHelixConfig config(Duration initial, Duration max) {
    return new GreenHelixConfig() {
      public boolean enabled() {
        return true;
      }

      public URI url() {
        return URI.create("http://127.0.0.1:1");
      }

      public Optional<String> apiKey() {
        return Optional.of("k");
      }

      public Duration callTimeout() {
        return Duration.ofSeconds(1);
      }

      public Duration relayInterval() {
        return Duration.ofSeconds(1);
      }

      public int relayBatch() {
        return 10;
      }

      public int relayParallelism() {
        return 1;
      }

      public Duration initialBackoff() {
        return initial;
      }

      public Duration maxBackoff() {
        return max;
      }

      public Duration deliveredRetention() {
        return Duration.ofDays(7);
      }
    };
  }
}
