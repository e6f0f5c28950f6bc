package io.botfleet.common.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The GreenHelix API and the outbox relay that calls it. Off by default for local runs. */
@ConfigMapping(prefix = "botfleet.greenhelix")
public interface GreenHelixConfig {

  /** Call GreenHelix at all. When off, nothing is queued and nothing is sent. */
  @WithDefault("false")
  boolean enabled();

  /** Base URL; calls go to {@code POST {url}/v1}. */
  @WithDefault("https://sandbox.greenhelix.net")
  URI url();

  /** API key, sent as a bearer token (BOTFLEET_GREENHELIX_API_KEY; required when enabled). */
  Optional<String> apiKey();

  /** Timeout of one call. */
  @WithDefault("10s")
  Duration callTimeout();

  /** The relay's pause when there is nothing to deliver. */
  @WithDefault("1s")
  Duration relayInterval();

  /** Calls delivered per relay pass (one per agent at a time, in order per agent). */
  @WithDefault("200")
  int relayBatch();

  /** Calls in flight at once. */
  @WithDefault("8")
  int relayParallelism();

  /** First retry delay; doubles per attempt up to {@link #maxBackoff()}, with jitter. */
  @WithDefault("1s")
  Duration initialBackoff();

  /** Longest retry delay. Calls are retried for as long as it takes: none is dropped. */
  @WithDefault("5m")
  Duration maxBackoff();

  /** How long delivered calls stay in the outbox table (usage counts stay for good). */
  @WithDefault("7d")
  Duration deliveredRetention();
}
