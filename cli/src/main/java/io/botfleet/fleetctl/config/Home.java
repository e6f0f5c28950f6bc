package io.botfleet.fleetctl.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * fleetctl's directory ({@code ~/.botfleet}, or {@code BOTFLEET_HOME}, or {@code --home}): the
 * operator's key file and the endpoint configuration. Readable by its owner only.
 *
 * @param dir the directory
 */
public record Home(Path dir) {

  /** The directory: {@code --home}, else {@code BOTFLEET_HOME}, else {@code ~/.botfleet}. */
  public static Home resolve(Path option, String env) {
    if (option != null) {
      return new Home(option.toAbsolutePath());
    }
    if (env != null && !env.isBlank()) {
      return new Home(Path.of(env).toAbsolutePath());
    }
    return new Home(Path.of(System.getProperty("user.home"), ".botfleet"));
  }

  /** The operator's credentials (docs/protocol.md key file format, 0600). */
  public Path keyFile() {
    return dir.resolve("operator.key");
  }

  /**
   * A key made by {@code init} and not yet enrolled: kept so that a lost answer never loses the
   * private key of an identity the service did enroll.
   */
  public Path pendingKeyFile() {
    return dir.resolve("operator.key.pending");
  }

  /** Endpoints and defaults. */
  public Path configFile() {
    return dir.resolve("config.properties");
  }

  /** Creates the directory (0700) if it is missing. */
  public void create() throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
  }
}
