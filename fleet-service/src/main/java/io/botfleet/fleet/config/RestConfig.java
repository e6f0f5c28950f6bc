package io.botfleet.fleet.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The REST gateway's settings (docs/rest-gateway.md). */
@ConfigMapping(prefix = "botfleet.fleet.rest")
public interface RestConfig {

  /** How often an event stream looks for new fleet events. */
  @WithDefault("500ms")
  Duration eventPoll();

  /** How long a stream waits for a missing event sequence before taking it as rolled back. */
  @WithDefault("5s")
  Duration eventGapTimeout();

  /** How often an idle event stream sends a comment, so proxies keep it open. */
  @WithDefault("15s")
  Duration keepAlive();

  /** How long an event stream waits before reopening health-service's WatchHealth. */
  @WithDefault("2s")
  Duration healthRetry();
}
