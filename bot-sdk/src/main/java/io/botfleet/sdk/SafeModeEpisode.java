package io.botfleet.sdk;

import java.time.Duration;
import java.time.Instant;

/**
 * One time the dead-man's switch fired.
 *
 * @param contactLostAt when the control plane was last known to be reachable (a stream went down,
 *     or a heartbeat went unanswered from this time)
 * @param enteredAt when safe mode began
 * @param endedAt when contact came back, or null while it lasts
 * @param reason what was lost, e.g. {@code command stream down: UNAVAILABLE}
 */
public record SafeModeEpisode(
    Instant contactLostAt, Instant enteredAt, Instant endedAt, String reason) {

  /** How long the bot was without the control plane (until now if it still is). */
  public Duration withoutControlPlane() {
    return Duration.between(contactLostAt, endedAt == null ? Instant.now() : endedAt);
  }
}
