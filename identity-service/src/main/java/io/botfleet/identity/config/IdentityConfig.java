package io.botfleet.identity.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** identity-service settings. */
@ConfigMapping(prefix = "botfleet.identity")
public interface IdentityConfig {

  /**
   * The public keys of the botfleet services, as {@code name:base64} entries (env
   * BOTFLEET_IDENTITY_SERVICE_PUBLIC_KEYS, comma separated). Each becomes the SERVICE identity
   * {@code svc-<name>} at start; a changed key replaces the old one.
   */
  Optional<List<String>> servicePublicKeys();

  /**
   * Where a fresh installation (no ADMIN operator) writes its one-time bootstrap token, readable by
   * the service user only (env BOTFLEET_IDENTITY_BOOTSTRAP_TOKEN_FILE). Relative paths resolve
   * against the working directory.
   */
  @WithDefault(".fleet/bootstrap-token")
  Path bootstrapTokenFile();

  /** How often a bot's key is rotated on schedule, from the time its key became current. */
  @WithDefault("30d")
  Duration rotationPeriod();

  /** Grace period of a rotation when BeginKeyRotation gives none. */
  @WithDefault("24h")
  Duration defaultGracePeriod();

  /** Life of an enrollment token when CreateEnrollmentToken gives none. */
  @WithDefault("1h")
  Duration enrollmentTokenTtl();

  /**
   * How long after RegisterRotatedKey the new key is announced as effective: the time the key feed
   * needs to reach every service's key cache, so that a bot switching at that time is never refused
   * anywhere. It must exceed the feed publisher's fallback tick (1 s, for a missed NOTIFY) plus the
   * delivery to every cache on a loaded machine: with 1 s, the e2e rotation test once saw
   * billing-service refuse calls signed with the new key for a moment after the switch.
   */
  @WithDefault("2s")
  Duration keyPropagationDelay();

  /** How often rotation deadlines are checked (the rotation completes or is cancelled). */
  @WithDefault("5s")
  Duration rotationDeadlineCheckInterval();
}
