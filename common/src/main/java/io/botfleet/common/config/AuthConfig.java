package io.botfleet.common.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Request verification settings (docs/protocol.md). */
@ConfigMapping(prefix = "botfleet.auth")
public interface AuthConfig {

  /** How far a request's timestamp may be from the server's clock, either way. */
  @WithDefault("30s")
  Duration skew();

  /**
   * Feed the key cache from identity-service's WatchKeys stream (client "identity" in
   * quarkus.grpc.clients). identity-service itself feeds its cache from its own tables.
   */
  @WithDefault("true")
  boolean keyFeed();

  /** Wait before reconnecting a lost key feed; doubles up to {@link #keyFeedMaxBackoff()}. */
  @WithDefault("200ms")
  Duration keyFeedBackoff();

  /** Longest wait between reconnection attempts of the key feed. */
  @WithDefault("10s")
  Duration keyFeedMaxBackoff();

  /**
   * Services (by short name, as in access rules) whose calls may carry {@code botfleet-acting-for}
   * and so act for an operator: fleet-service, for its REST gateway
   * (docs/decisions/0208-gateway-acting-for.md). A header signed by anyone else is refused.
   */
  @WithDefault("fleet")
  List<String> delegatingServices();
}
