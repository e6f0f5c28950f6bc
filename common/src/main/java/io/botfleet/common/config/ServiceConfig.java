package io.botfleet.common.config;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.Optional;

/** Who this service is: its short name and the key it signs its calls to other services with. */
@ConfigMapping(prefix = "botfleet.service")
public interface ServiceConfig {

  /** Short name: fleet, identity, permission, health, deploy or billing. */
  String name();

  /** Its agent id; default {@code svc-<name>}. */
  Optional<String> agentId();

  /** A key file (docs/protocol.md format) with its credentials. */
  Optional<Path> keyFile();

  /**
   * Its private key seed, base64, for deployments that pass keys as environment variables
   * (BOTFLEET_SERVICE_PRIVATE_KEY). Used when no key file is set.
   */
  Optional<String> privateKey();
}
