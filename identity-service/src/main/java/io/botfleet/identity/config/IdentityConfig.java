package io.botfleet.identity.config;

import io.smallrye.config.ConfigMapping;
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
}
